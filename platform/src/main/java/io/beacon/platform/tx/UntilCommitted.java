package io.beacon.platform.tx;

import java.time.Duration;
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
