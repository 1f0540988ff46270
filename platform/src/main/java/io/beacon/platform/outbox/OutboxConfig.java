package io.beacon.platform.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.outbox")
public interface OutboxConfig {

    /** Build-time switch: the outbox beans exist only in services that set it (see {@link Outbox}). */
    @WithDefault("false")
    boolean enabled();

    /** How often the relay looks for pending records. */
    @WithDefault("0.25s")
    Duration pollInterval();

    /** How many pending records one relay pass sends. */
    @WithDefault("500")
    int batchSize();

    /** How long a pass waits for Kafka to acknowledge its records before it gives up and retries later. */
    @WithDefault("15s")
    Duration sendTimeout();
}
