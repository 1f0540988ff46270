package io.beacon.notify.delivery;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One received {@code ctas.events} record, kept as received so every later delivery renders the same facts. */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "cta_id")
    public String ctaId;

    @Column(name = "account_id")
    public String accountId;

    public String kind;

    public String priority;

    public boolean escalated;

    @Column(name = "account_name")
    public String accountName;

    public String segment;

    /** The CTA event's JSON. */
    public String payload;

    @Column(name = "received_at")
    public Instant receivedAt;
}
