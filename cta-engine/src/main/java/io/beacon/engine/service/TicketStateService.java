package io.beacon.engine.service;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hibernate.Session;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.domain.TicketState;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Keeps each account's ticket snapshots current. Applying events is idempotent (their ids are
 * recorded in the same transaction) and order-proof (a snapshot older than the stored one is
 * ignored). A batch costs a few statements, not a few per event: one insert of all event ids, one
 * read of the affected accounts' tickets, and batched writes at commit.
 */
@ApplicationScoped
public class TicketStateService {

    public enum Outcome {
        APPLIED, DUPLICATE, STALE
    }

    /** What a batch did: per-outcome counts, and every affected account's tickets after the batch. */
    public record Applied(Map<Outcome, Integer> counts, Map<String, List<TicketState>> changedAccounts) {
        public int count(Outcome outcome) {
            return counts.getOrDefault(outcome, 0);
        }
    }

    private final EntityManager em;

    TicketStateService(EntityManager em) {
        this.em = em;
    }

    /**
     * Applies the events in order, in the caller's transaction, so state and CTA changes commit
     * together. Events for one account must come in their partition order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Applied applyAll(List<TicketEvent> events) {
        Map<Outcome, Integer> counts = new HashMap<>();
        Set<String> firstTime = recordFirstSeen(events);
        List<TicketEvent> fresh = new ArrayList<>(firstTime.size());
        for (TicketEvent event : events) {
            if (firstTime.remove(event.eventId())) {
                fresh.add(event);
            } else {
                counts.merge(Outcome.DUPLICATE, 1, Integer::sum);
            }
        }
        Set<String> accounts = new LinkedHashSet<>();
        fresh.forEach(e -> accounts.add(e.accountId()));
        Map<String, Map<String, TicketState>> byAccount = load(accounts);

        Set<String> changed = new LinkedHashSet<>();
        for (TicketEvent event : fresh) {
            Map<String, TicketState> tickets = byAccount.computeIfAbsent(event.accountId(), a -> new LinkedHashMap<>());
            TicketState state = tickets.get(event.ticket().id());
            if (state != null && !event.ticket().updatedAt().isAfter(state.updatedAt)) {
                counts.merge(Outcome.STALE, 1, Integer::sum);
                continue;
            }
            if (state == null) {
                state = new TicketState();
                state.accountId = event.accountId();
                state.ticketId = event.ticket().id();
                copy(event, state);
                state.persist();
                tickets.put(state.ticketId, state);
            } else {
                copy(event, state);
            }
            counts.merge(Outcome.APPLIED, 1, Integer::sum);
            changed.add(event.accountId());
        }
        Map<String, List<TicketState>> result = new LinkedHashMap<>();
        for (String account : changed) {
            result.put(account, new ArrayList<>(byAccount.get(account).values()));
        }
        return new Applied(counts, result);
    }

    private static void copy(TicketEvent event, TicketState state) {
        TicketEvent.Ticket ticket = event.ticket();
        if (state.status != null && !state.status.isOpen() && ticket.status().isOpen()) {
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
    }

    /** Records every event id in one statement; returns the ids that had not been seen before. */
    private Set<String> recordFirstSeen(List<TicketEvent> events) {
        Map<String, String> accountByEvent = new LinkedHashMap<>();
        events.forEach(e -> accountByEvent.putIfAbsent(e.eventId(), e.accountId()));
        return em.unwrap(Session.class).doReturningWork(connection -> {
            Set<String> inserted = new HashSet<>();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO processed_event (event_id, account_id)
                    SELECT * FROM unnest(?::varchar[], ?::varchar[])
                    ON CONFLICT DO NOTHING
                    RETURNING event_id
                    """)) {
                Array ids = connection.createArrayOf("varchar", accountByEvent.keySet().toArray());
                Array accounts = connection.createArrayOf("varchar", accountByEvent.values().toArray());
                insert.setArray(1, ids);
                insert.setArray(2, accounts);
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(rows.getString(1));
                    }
                }
            }
            return inserted;
        });
    }

    /** The accounts' tickets (deleted ones too: a later event may bring them back), keyed by ticket id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Map<String, TicketState>> load(Collection<String> accounts) {
        Map<String, Map<String, TicketState>> byAccount = new HashMap<>();
        if (accounts.isEmpty()) {
            return byAccount;
        }
        for (TicketState ticket : TicketState.<TicketState> list("accountId in ?1", accounts)) {
            byAccount.computeIfAbsent(ticket.accountId, a -> new LinkedHashMap<>()).put(ticket.ticketId, ticket);
        }
        return byAccount;
    }

    @Transactional
    public List<TicketState> tickets(String accountId) {
        return TicketState.list("accountId", Sort.by("ticketId"), accountId);
    }
}
