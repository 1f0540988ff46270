package io.beacon.contracts;

import java.util.List;

/**
 * Every Kafka topic Beacon uses, with the shape it must have. The local stack and the test
 * infrastructure create topics from {@link #ALL}; production manifests must match it.
 */
public final class Topics {

    public static final String TICKETS_EVENTS = "tickets.events";
    public static final String TICKETS_EVENTS_DLQ = "tickets.events.dlq";
    public static final String ACCOUNTS_SNAPSHOTS = "accounts.snapshots";
    /** Snapshots a consumer could not use (written straight to the topic, bypassing account-service), with the reason. */
    public static final String ACCOUNTS_SNAPSHOTS_DLQ = "accounts.snapshots.dlq";
    public static final String CTAS_EVENTS = "ctas.events";
    public static final String CTAS_EVENTS_DLQ = "ctas.events.dlq";
    public static final String RULES_CHANGES = "rules.changes";
    /** What people ask to be done to a CTA from outside the console (a chat button), keyed by CTA id. */
    public static final String CTAS_COMMANDS = "ctas.commands";
    public static final String CTAS_COMMANDS_DLQ = "ctas.commands.dlq";
    /** Notifications that could not be delivered after every retry, with the reason (see notification-service). */
    public static final String NOTIFICATIONS_DLQ = "notifications.dlq";

    /** Partition count of the keyed event topics; per-account order holds within a partition. */
    public static final int EVENT_PARTITIONS = 6;

    public static final List<TopicSpec> ALL = List.of(
            TopicSpec.log(TICKETS_EVENTS, EVENT_PARTITIONS),
            TopicSpec.log(TICKETS_EVENTS_DLQ, 1),
            // Compacted: the latest snapshot per account is the current view, so a consumer can rebuild from offset 0.
            TopicSpec.compacted(ACCOUNTS_SNAPSHOTS, EVENT_PARTITIONS),
            TopicSpec.log(ACCOUNTS_SNAPSHOTS_DLQ, 1),
            TopicSpec.log(CTAS_EVENTS, EVENT_PARTITIONS),
            TopicSpec.log(CTAS_EVENTS_DLQ, 1),
            TopicSpec.log(NOTIFICATIONS_DLQ, 1),
            TopicSpec.log(CTAS_COMMANDS, EVENT_PARTITIONS),
            TopicSpec.log(CTAS_COMMANDS_DLQ, 1),
            // Compacted: the latest change per ruleset tells a starting engine what is active.
            TopicSpec.compacted(RULES_CHANGES, 1));

    private Topics() {
    }

    public record TopicSpec(String name, int partitions, boolean compacted) {

        static TopicSpec log(String name, int partitions) {
            return new TopicSpec(name, partitions, false);
        }

        static TopicSpec compacted(String name, int partitions) {
            return new TopicSpec(name, partitions, true);
        }
    }
}
