package io.beacon.engine.service;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * read of the affected accounts' tickets, and one batched upsert of the tickets that changed.
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
        Set<TicketState> dirty = Collections.newSetFromMap(new IdentityHashMap<>());
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
                tickets.put(state.ticketId, state);
            }
            copy(event, state);
            dirty.add(state);
            counts.merge(Outcome.APPLIED, 1, Integer::sum);
            changed.add(event.accountId());
        }
        write(dirty);
        Map<String, List<TicketState>> result = new LinkedHashMap<>();
        for (String account : changed) {
            result.put(account, new ArrayList<>(byAccount.get(account).values()));
        }
        return new Applied(counts, result);
    }

    /** Applies one event to a ticket snapshot (status, priority, SLA, reopen count); shared with backtests. */
    public static void copy(TicketEvent event, TicketState state) {
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

    /**
     * The accounts' tickets (deleted ones too: a later event may bring them back), keyed by ticket id.
     * Read with plain JDBC into detached objects: the hot path reads thousands of rows per batch and
     * writes them back itself ({@link #write}), so Hibernate's bookkeeping would only cost time.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Map<String, TicketState>> load(Collection<String> accounts) {
        Map<String, Map<String, TicketState>> byAccount = new HashMap<>();
        if (accounts.isEmpty()) {
            return byAccount;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM ticket WHERE account_id = ANY(?)")) {
                select.setArray(1, connection.createArrayOf("varchar", accounts.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        TicketState t = read(rows);
                        byAccount.computeIfAbsent(t.accountId, a -> new LinkedHashMap<>()).put(t.ticketId, t);
                    }
                }
            }
        });
        return byAccount;
    }

    private static final String COLUMNS = "account_id, ticket_id, status, priority, kind, subject, created_at, "
            + "updated_at, first_reply_due_at, resolution_due_at, sla_breached, deleted, reopen_count, last_event_id";

    private static TicketState read(ResultSet rows) throws SQLException {
        TicketState t = new TicketState();
        t.accountId = rows.getString(1);
        t.ticketId = rows.getString(2);
        t.status = TicketEvent.Status.valueOf(rows.getString(3));
        t.priority = enumOrNull(TicketEvent.Priority.class, rows.getString(4));
        t.kind = enumOrNull(TicketEvent.Kind.class, rows.getString(5));
        t.subject = rows.getString(6);
        t.createdAt = instant(rows, 7);
        t.updatedAt = instant(rows, 8);
        t.firstReplyDueAt = instant(rows, 9);
        t.resolutionDueAt = instant(rows, 10);
        t.slaBreached = rows.getBoolean(11);
        t.deleted = rows.getBoolean(12);
        t.reopenCount = rows.getInt(13);
        t.lastEventId = rows.getString(14);
        return t;
    }

    /** Inserts or updates the tickets with one batched statement. */
    private void write(Collection<TicketState> tickets) {
        if (tickets.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO ticket (" + COLUMNS + """
                    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, ticket_id) DO UPDATE SET
                        status = EXCLUDED.status, priority = EXCLUDED.priority, kind = EXCLUDED.kind,
                        subject = EXCLUDED.subject, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                        first_reply_due_at = EXCLUDED.first_reply_due_at,
                        resolution_due_at = EXCLUDED.resolution_due_at, sla_breached = EXCLUDED.sla_breached,
                        deleted = EXCLUDED.deleted, reopen_count = EXCLUDED.reopen_count,
                        last_event_id = EXCLUDED.last_event_id
                    """)) {
                for (TicketState t : tickets) {
                    upsert.setString(1, t.accountId);
                    upsert.setString(2, t.ticketId);
                    upsert.setString(3, t.status.name());
                    upsert.setString(4, t.priority == null ? null : t.priority.name());
                    upsert.setString(5, t.kind == null ? null : t.kind.name());
                    upsert.setString(6, t.subject);
                    upsert.setObject(7, offset(t.createdAt));
                    upsert.setObject(8, offset(t.updatedAt));
                    upsert.setObject(9, offset(t.firstReplyDueAt));
                    upsert.setObject(10, offset(t.resolutionDueAt));
                    upsert.setBoolean(11, t.slaBreached);
                    upsert.setBoolean(12, t.deleted);
                    upsert.setInt(13, t.reopenCount);
                    upsert.setString(14, t.lastEventId);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    @Transactional
    public List<TicketState> tickets(String accountId) {
        return TicketState.list("accountId", Sort.by("ticketId"), accountId);
    }
}
