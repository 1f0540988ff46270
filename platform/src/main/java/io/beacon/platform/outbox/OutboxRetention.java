package io.beacon.platform.outbox;

import java.time.Duration;
import java.util.List;

import io.beacon.platform.retention.RetentionRule;
import io.beacon.platform.retention.RetentionRules;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Relayed outbox rows are kept a day (to see what went out lately), then deleted; rows not yet
 * relayed are never touched. The index the pruning reads comes with the platform
 * ({@code db/outbox/R__outbox_relayed_index.sql}; a service with an outbox adds {@code db/outbox} to
 * its Flyway locations).
 */
@ApplicationScoped
@IfBuildProperty(name = "beacon.outbox.enabled", stringValue = "true")
public class OutboxRetention implements RetentionRules {

    @Override
    public List<RetentionRule> rules() {
        return List.of(RetentionRule.olderThan("relayed-outbox", "outbox_event", "published_at", Duration.ofDays(1)));
    }
}
