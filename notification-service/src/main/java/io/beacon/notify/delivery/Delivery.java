package io.beacon.notify.delivery;

import io.beacon.notify.intake.RecipientRole;
import java.time.Instant;
import java.time.LocalDate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One notification owed to one recipient on one channel: the delivery log. Rows are written by the
 * intake (unique per CTA event, recipient and channel) and moved along by the dispatcher.
 */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "recipient_id")
    public String recipientId;

    @Enumerated(EnumType.STRING)
    @Column(name = "recipient_role")
    public RecipientRole recipientRole;

    @Enumerated(EnumType.STRING)
    public Channel channel;

    public String address;

    @Enumerated(EnumType.STRING)
    public DeliveryStatus status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "claimed_until")
    public Instant claimedUntil;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "digest_id")
    public Long digestId;

    @Column(name = "digest_date")
    public LocalDate digestDate;

    /** Set on a weekly executive summary's delivery: the summary it sends. */
    @Column(name = "summary_id")
    public Long summaryId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    public boolean isDigest() {
        return digestDate != null;
    }

    public boolean isSummary() {
        return summaryId != null;
    }
}
