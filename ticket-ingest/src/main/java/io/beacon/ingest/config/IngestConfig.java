package io.beacon.ingest.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.ingest")
public interface IngestConfig {

    /** How long a request waits for Kafka to acknowledge its events before answering 503. */
    @WithDefault("15s")
    Duration publishTimeout();

    /** Seconds a client is told to wait (Retry-After) when Kafka cannot take events. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** How far in the future an event's timestamps may lie (clock skew between systems). */
    @WithDefault("5m")
    Duration maxClockSkew();
}
