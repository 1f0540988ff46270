package io.beacon.platform.tx;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs work in a new transaction and, when the database is away, tries again with exponential
 * backoff until it commits. Consumers use it so that an accepted record is never dropped or
 * dead-lettered because of an outage: the consumer simply waits, and its offsets do not move.
 */
public final class UntilCommitted {

    private static final Logger LOG = Logger.getLogger(UntilCommitted.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private UntilCommitted() {
    }

    /** What became of the work: its result, or the permanent failure that stopped it. */
    public record Outcome<T>(T value, RuntimeException permanentFailure) {

        public boolean stored() {
            return permanentFailure == null;
        }
    }

    /**
     * Like {@link #call}, but gives up on a failure that retrying cannot cure, so that the caller can
     * set the input aside: only {@link Failures#isTransient transient} failures, and any failure
     * while {@code databaseReachable} says no, are retried. The second opinion matters: a driver
     * that reports an outage in an unexpected way must not make good input look permanently bad.
     */
    public static <T> Outcome<T> callUnlessPermanent(String what, Supplier<T> work, Runnable onRetry,
            BooleanSupplier databaseReachable) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        boolean failedForGoodOnce = false;
        while (true) {
            try {
                return new Outcome<>(QuarkusTransaction.requiringNew().call(work::get), null);
            } catch (RuntimeException e) {
                boolean permanent = !Failures.isTransient(e) && databaseReachable.getAsBoolean();
                // Permanent only when it happens twice in a row: one more try costs little and keeps
                // a failure of an unexpected kind from setting good input aside.
                if (permanent && failedForGoodOnce) {
                    LOG.warnf("Could not store %s, and retrying will not help: %s", what, Failures.rootMessage(e));
                    return new Outcome<>(null, e);
                }
                failedForGoodOnce = permanent;
                LOG.warnf("Could not store %s, retrying in %d ms: %s", what, backoff.toMillis(), e.getMessage());
                onRetry.run();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * @param what what the work is, for the log ("a batch of 12 ticket events")
     * @param onRetry called before each wait (a metric, say)
     */
    public static <T> T call(String what, Supplier<T> work, Runnable onRetry) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                return QuarkusTransaction.requiringNew().call(work::get);
            } catch (RuntimeException e) {
                LOG.warnf("Could not store %s, retrying in %d ms: %s", what, backoff.toMillis(), e.getMessage());
                onRetry.run();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
