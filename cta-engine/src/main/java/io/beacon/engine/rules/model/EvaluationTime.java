package io.beacon.engine.rules.model;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * "Now" for one evaluation. Rules ask it instead of the wall clock, so scheduled re-evaluations use
 * the engine's clock and backtests use the events' time.
 */
public class EvaluationTime {

    private final Instant now;

    public EvaluationTime(Instant now) {
        this.now = now;
    }

    public Instant getNow() {
        return now;
    }

    public long daysSince(Instant then) {
        return Duration.between(then, now).toDays();
    }

    public long daysUntil(LocalDate date) {
        return ChronoUnit.DAYS.between(LocalDate.ofInstant(now, ZoneOffset.UTC), date);
    }
}
