package io.beacon.ingest.retention;

import java.time.Duration;
import java.util.List;

import io.beacon.platform.retention.RetentionRule;
import io.beacon.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refused ticket events are kept 30 days for integrators to inspect
 * ({@code beacon.retention.keep.rejected-events} changes it); they are also on tickets.events.dlq.
 */
@ApplicationScoped
class IngestRetention implements RetentionRules {

    @Override
    public List<RetentionRule> rules() {
        return List.of(RetentionRule.olderThan("rejected-events", "rejected_event", "received_at", Duration.ofDays(30)));
    }
}
