package io.beacon.platform.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CoalescingTest {

    /**
     * Rounds of near-simultaneous requests from several threads, passes of random (often zero) length:
     * once every request of a round has returned, a pass must have started after the round's last
     * request — otherwise that request was lost — and passes never overlap.
     */
    @Test
    void everyRequestIsFollowedByAPassThatStartsAfterIt() throws Exception {
        int threads = 3;
        int rounds = 20_000;
        AtomicLong clock = new AtomicLong();
        AtomicLong lastPassStart = new AtomicLong(-1);
        AtomicLong lastRequest = new AtomicLong(-1);
        AtomicBoolean inPass = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        AtomicInteger lostRounds = new AtomicInteger();
        Coalescing coalescing = new Coalescing(() -> {
            if (!inPass.compareAndSet(false, true)) {
                overlapped.set(true);
            }
            lastPassStart.set(clock.incrementAndGet());
            if (ThreadLocalRandom.current().nextBoolean()) {
                Thread.onSpinWait();
            }
            inPass.set(false);
        });
        CyclicBarrier go = new CyclicBarrier(threads);
        CyclicBarrier done = new CyclicBarrier(threads, () -> {
            if (lastPassStart.get() < lastRequest.get()) {
                lostRounds.incrementAndGet();
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int round = 0; round < rounds; round++) {
                    go.await();
                    for (int spin = ThreadLocalRandom.current().nextInt(200); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    lastRequest.accumulateAndGet(clock.incrementAndGet(), Math::max);
                    coalescing.request();
                    done.await();
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(overlapped).isFalse();
        assertThat(lostRounds).as("rounds whose last request no pass followed").hasValue(0);
    }

    @Test
    void requestsDuringAPassFoldIntoOneMorePass() throws Exception {
        CountDownLatch inFirstPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        Coalescing coalescing = new Coalescing(() -> {
            if (passes.incrementAndGet() == 1) {
                inFirstPass.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread runner = new Thread(coalescing::request);
        runner.start();
        inFirstPass.await();
        for (int i = 0; i < 10; i++) {
            coalescing.request(); // returns at once: the runner is in a pass
        }
        release.countDown();
        runner.join(5_000);
        assertThat(passes).hasValue(2);
    }

    @Test
    void aFailingPassEndsTheCallAndLaterRequestsRunAgain() {
        AtomicInteger passes = new AtomicInteger();
        Coalescing coalescing = new Coalescing(() -> {
            if (passes.incrementAndGet() == 1) {
                throw new IllegalStateException("broker down");
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(coalescing::request).hasMessage("broker down");
        coalescing.request();
        assertThat(passes).hasValue(2);
    }
}
