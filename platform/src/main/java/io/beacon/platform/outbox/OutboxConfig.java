package io.beacon.platform.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.outbox")
public interface OutboxConfig {

    /** Build-time switch: the outbox beans exist only in services that set it (see {@link Outbox}). */
    @WithDefault("false")
    boolean enabled();

    /**
     * How often the relay looks for pending records on its own. Each commit that writes to the
     * outbox also wakes the relay at once, so this only bounds the delay when a wake-up is missed.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** How many pending records one relay pass sends. */
    @WithDefault("500")
    int batchSize();

    /** How long a pass waits for Kafka to acknowledge its records before it gives up and retries later. */
    @WithDefault("15s")
    Duration sendTimeout();
}
