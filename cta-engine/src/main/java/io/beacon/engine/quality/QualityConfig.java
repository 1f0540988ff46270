package io.beacon.engine.quality;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Rule quality: {@code beacon.quality.*}. */
@ConfigMapping(prefix = "beacon.quality")
public interface QualityConfig {

    /**
     * How long before a situation (an escalation, a manual RISK CTA, health turning RED) a rule CTA
     * of type RISK must have been open for the rules to count as having warned about it.
     */
    @WithDefault("14d")
    Duration missedWithin();
}
