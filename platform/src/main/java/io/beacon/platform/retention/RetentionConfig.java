package io.beacon.platform.retention;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.retention")
public interface RetentionConfig {

    /** How often old rows are pruned ({@code off} for never); read by {@link Retention}'s schedule. */
    @WithDefault("10m")
    String every();

    /** Rows deleted per statement (each in a transaction of its own, so no pass holds locks for long). */
    @WithDefault("5000")
    int batchSize();

    /** Ages that replace a rule's default, by rule name: {@code beacon.retention.keep.processed-events=14d}. */
    Map<String, Duration> keep();
}
