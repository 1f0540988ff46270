package io.beacon.engine.service;

import java.util.List;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.domain.TicketState;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Keeps each account's ticket snapshots current. Applying an event is idempotent (its id is
 * recorded in the same transaction) and order-proof (a snapshot older than the stored one is ignored).
 */
@ApplicationScoped
public class TicketStateService {

    public enum Outcome {
        APPLIED, DUPLICATE, STALE
    }

    private final EntityManager em;

    TicketStateService(EntityManager em) {
        this.em = em;
    }

    /** Joins the caller's transaction (the consumer's), so state and CTA changes commit together. */
    @Transactional
    public Outcome apply(TicketEvent event) {
        int firstTime = em.createNativeQuery("""
                INSERT INTO processed_event (event_id, account_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING
                """).setParameter(1, event.eventId()).setParameter(2, event.accountId()).executeUpdate();
        if (firstTime == 0) {
            return Outcome.DUPLICATE;
        }
        TicketEvent.Ticket ticket = event.ticket();
        TicketState state = TicketState.findById(new TicketState.Key(event.accountId(), ticket.id()));
        if (state != null && !ticket.updatedAt().isAfter(state.updatedAt)) {
            return Outcome.STALE;
        }
        if (state == null) {
            state = new TicketState();
            state.accountId = event.accountId();
            state.ticketId = ticket.id();
        } else if (!state.status.isOpen() && ticket.status().isOpen()) {
            state.reopenCount++;
        }
        state.status = ticket.status();
        state.priority = ticket.priority();
        state.kind = ticket.type();
        state.subject = ticket.subject();
        state.createdAt = ticket.createdAt();
        state.updatedAt = ticket.updatedAt();
        if (ticket.sla() != null) {
            state.firstReplyDueAt = ticket.sla().firstReplyDueAt();
            state.resolutionDueAt = ticket.sla().resolutionDueAt();
            state.slaBreached = ticket.sla().breached();
        }
        state.slaBreached |= event.type() == TicketEvent.Type.SLA_BREACHED;
        state.deleted = event.type() == TicketEvent.Type.DELETED;
        state.lastEventId = event.eventId();
        state.persist();
        return Outcome.APPLIED;
    }

    @Transactional
    public List<TicketState> tickets(String accountId) {
        return TicketState.list("accountId", Sort.by("ticketId"), accountId);
    }
}
