package io.beacon.engine.tickets;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import io.beacon.contracts.TicketEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The newest known snapshot of one ticket of one account. */
@Entity
@Table(name = "ticket")
@IdClass(TicketState.Key.class)
public class TicketState extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public String accountId;

    @Id
    @Column(name = "ticket_id")
    public String ticketId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TicketEvent.Status status;

    @Enumerated(EnumType.STRING)
    public TicketEvent.Priority priority;

    @Enumerated(EnumType.STRING)
    public TicketEvent.Kind kind;

    public String subject;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "first_reply_due_at")
    public Instant firstReplyDueAt;

    @Column(name = "resolution_due_at")
    public Instant resolutionDueAt;

    @Column(name = "sla_breached", nullable = false)
    public boolean slaBreached;

    @Column(nullable = false)
    public boolean deleted;

    @Column(name = "reopen_count", nullable = false)
    public int reopenCount;

    @Column(name = "last_event_id", nullable = false)
    public String lastEventId;

    /** The desk the ticket's latest event came from ({@code zendesk}, {@code api}, …). */
    public String source;

    public static class Key implements Serializable {
        public String accountId;
        public String ticketId;

        public Key() {
        }

        public Key(String accountId, String ticketId) {
            this.accountId = accountId;
            this.ticketId = ticketId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(accountId, k.accountId) && Objects.equals(ticketId, k.ticketId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, ticketId);
        }
    }
}
