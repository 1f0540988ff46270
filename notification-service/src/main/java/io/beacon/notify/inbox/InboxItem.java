package io.beacon.notify.inbox;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "inbox_item")
public class InboxItem extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cta_event_id", nullable = false)
    public String ctaEventId;

    @Column(name = "recipient_id", nullable = false)
    public String recipientId;

    @Column(name = "cta_id", nullable = false)
    public String ctaId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String kind;

    @Column(name = "cta_type")
    public String ctaType;

    public String priority;

    @Column(nullable = false)
    public boolean escalated;

    @Column(nullable = false)
    public String title;

    @Column(name = "account_name")
    public String accountName;

    public String segment;

    /** The explanation in a few lines of text. */
    public String body;

    /** The CTA in the web UI. */
    public String link;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "read_at")
    public Instant readAt;
}
