package io.beacon.engine.evaluation;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the engine lets time pass for accounts between their events. */
@ConfigMapping(prefix = "beacon.engine")
public interface EvaluationConfig {

    /**
     * How often the engine looks for accounts with a due instant (a CTA ageing a day, a snooze
     * ending…), as a duration ({@code 10s}); {@code off} leaves time to pass only with events. A look
     * that finds nothing due is one indexed query, so looking often costs little and spreads the due
     * work out instead of gathering it into bursts.
     */
    @WithDefault("10s")
    String reevaluateEvery();

    /** How long after start the schedule first looks (the Kafka channels are wired by then). */
    @WithDefault("30s")
    Duration reevaluateDelay();

    /**
     * How late an event may arrive and still be evaluated at its own time. The schedule evaluates due
     * instants only up to now minus this, and not at all while the engine consumes older events
     * (after a restart or an outage): a backlog is evaluated in event time, as if it had come live.
     */
    @WithDefault("2m")
    Duration eventLateness();
}
