package io.beacon.contracts;

/**
 * CloudEvents attributes carried as Kafka headers (binary content mode), so any Kafka client can
 * route and trace a record without parsing its JSON body.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    /** Header a dead-letter record carries to say why it was set aside (SmallRye's name for it). */
    public static final String DLQ_REASON = "dead-letter-reason";

    public static final String SPEC_VERSION_1_0 = "1.0";

    public static final String TYPE_TICKET_EVENT = "io.beacon.ticket.event.v1";
    public static final String TYPE_ACCOUNT_SNAPSHOT = "io.beacon.account.snapshot.v1";
    public static final String TYPE_CTA_EVENT = "io.beacon.cta.event.v1";
    public static final String TYPE_RULESET_CHANGE = "io.beacon.ruleset.change.v1";
    public static final String TYPE_NOTIFICATION_DEAD_LETTER = "io.beacon.notification.dead-letter.v1";

    private CloudEventHeaders() {
    }
}
