package io.beacon.platform.concurrent;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a pass of work when asked, one pass at a time, folding requests that arrive during a pass
 * into one more pass — and never losing one: every {@link #request()} is followed by a pass that
 * starts after it, run by the caller or by the thread already running passes.
 * <p>
 * The outbox relay and the notification dispatcher are woken after each commit. Each used to do this
 * by hand and had the same gap: a request arriving after the running thread had last looked for one,
 * but before it released its lock, found the lock taken and returned, and its work waited for the next
 * scheduled poll (a second). The window is a few instructions wide; the tests here show the contract,
 * not the race.
 */
public final class Coalescing {

    private final Runnable pass;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean queued = new AtomicBoolean();

    public Coalescing(Runnable pass) {
        this.pass = pass;
    }

    /**
     * Asks for a pass and runs passes until none was asked for meanwhile — unless another thread is
     * running them, in which case that thread runs one more and this call returns at once. A pass that
     * throws ends the call with its exception; later requests run passes again.
     */
    public void request() {
        requested.set(true);
        // Looked at again after unlocking: a request may have come between the last look inside and the unlock.
        while (requested.get() && running.tryLock()) {
            try {
                while (requested.getAndSet(false)) {
                    pass.run();
                }
            } finally {
                running.unlock();
            }
        }
    }

    /**
     * Asks for a pass and has {@code executor} run it (with any asked for meanwhile), so the caller —
     * an after-commit callback, say — does not wait. At most one task waits in the executor at a time.
     *
     * @param onFailure told when a pass throws; later requests run passes again
     */
    public void requestOn(Executor executor, Consumer<RuntimeException> onFailure) {
        requested.set(true);
        if (queued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    queued.set(false);
                    try {
                        request();
                    } catch (RuntimeException e) {
                        onFailure.accept(e);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                queued.set(false);
            }
        }
    }

    /** Runs {@code work} while no pass runs (waiting for a running one to end), e.g. a pass on demand. */
    public <T> T exclusively(Supplier<T> work) {
        running.lock();
        try {
            return work.get();
        } finally {
            running.unlock();
        }
    }
}
