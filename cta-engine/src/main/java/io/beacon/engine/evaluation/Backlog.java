package io.beacon.engine.evaluation;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this instance is consuming events from the past (after a restart, an outage or a slow
 * spell). While it is, the schedule does not let time pass for accounts: the events it has yet to
 * read would otherwise be evaluated after instants that came later than they did.
 */
@ApplicationScoped
public class Backlog {

    /** The engine's clock, for the horizon. */
    private final Clock clock;
    /** Lag is measured against Kafka's timestamps, which are wall-clock time. */
    private final Clock wall = Clock.systemUTC();
    private final EvaluationConfig config;
    private volatile Instant lastSeenBehind;

    Backlog(Clock clock, EvaluationConfig config) {
        this.clock = clock;
        this.config = config;
        this.lastSeenBehind = wall.instant();
    }

    /** A consumed batch whose oldest record was written at {@code oldestRecordMillis}. */
    public void consumed(long oldestRecordMillis) {
        Instant now = wall.instant();
        if (oldestRecordMillis >= 0 && Instant.ofEpochMilli(oldestRecordMillis).isBefore(now.minus(config.eventLateness()))) {
            lastSeenBehind = now;
        }
    }

    /**
     * True from start-up, and after any batch of old records, until the allowed lateness has passed
     * without one: only then is the consumer known to be reading events as they come.
     */
    public boolean catchingUp() {
        return wall.instant().isBefore(lastSeenBehind.plus(config.eventLateness()));
    }

    /** Up to where the schedule may let time pass: now, less the lateness an event is allowed. */
    public Instant horizon() {
        return clock.instant().minus(config.eventLateness());
    }
}
