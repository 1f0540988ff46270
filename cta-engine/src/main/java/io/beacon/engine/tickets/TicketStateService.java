package io.beacon.engine.tickets;

import java.sql.Array;
import java.sql.Connection;
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
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Stores each account's ticket snapshots and the ids of the events seen. A batch costs a few
 * statements, not a few per event: one insert of all event ids (which says which are new), one read
 * of the affected accounts' tickets, and one batched upsert of the tickets that changed. What an
 * event does to a ticket is {@link io.beacon.engine.evaluation.Timeline}'s business.
 */
@ApplicationScoped
public class TicketStateService {

    private final EntityManager em;

    TicketStateService(EntityManager em) {
        this.em = em;
    }

    /** Records every event id in one statement; returns the ids that had not been seen before. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> recordFirstSeen(List<TicketEvent> events) {
        return em.unwrap(Session.class).doReturningWork(connection -> recordFirstSeen(connection, events));
    }

    /** {@link #recordFirstSeen(List)} on a plain connection (the benchmark's database floor runs the same statement). */
    public static Set<String> recordFirstSeen(Connection connection, List<TicketEvent> events) throws SQLException {
        Map<String, String> accountByEvent = new LinkedHashMap<>();
        events.forEach(e -> accountByEvent.putIfAbsent(e.eventId(), e.accountId()));
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
    }

    /**
     * The accounts' tickets (deleted ones too: a later event may bring them back), keyed by ticket id.
     * Read with plain JDBC into detached objects: the hot path reads thousands of rows per batch and
     * writes them back itself ({@link #write}), so Hibernate's bookkeeping would only cost time.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Map<String, TicketState>> load(Collection<String> accounts) {
        if (accounts.isEmpty()) {
            return new HashMap<>();
        }
        return em.unwrap(Session.class).doReturningWork(connection -> load(connection, accounts));
    }

    /** {@link #load(Collection)} on a plain connection. */
    public static Map<String, Map<String, TicketState>> load(Connection connection, Collection<String> accounts)
            throws SQLException {
        Map<String, Map<String, TicketState>> byAccount = new HashMap<>();
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
        return byAccount;
    }

    private static final String COLUMNS = "account_id, ticket_id, status, priority, kind, subject, created_at, "
            + "updated_at, first_reply_due_at, resolution_due_at, sla_breached, deleted, reopen_count, last_event_id, source";

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
        t.source = rows.getString(15);
        return t;
    }

    /** Inserts or updates the tickets with one batched statement. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void write(Collection<TicketState> tickets) {
        if (!tickets.isEmpty()) {
            em.unwrap(Session.class).doWork(connection -> write(connection, tickets));
        }
    }

    /** {@link #write(Collection)} on a plain connection. */
    public static void write(Connection connection, Collection<TicketState> tickets) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO ticket (" + COLUMNS + """
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (account_id, ticket_id) DO UPDATE SET
                    status = EXCLUDED.status, priority = EXCLUDED.priority, kind = EXCLUDED.kind,
                    subject = EXCLUDED.subject, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                    first_reply_due_at = EXCLUDED.first_reply_due_at,
                    resolution_due_at = EXCLUDED.resolution_due_at, sla_breached = EXCLUDED.sla_breached,
                    deleted = EXCLUDED.deleted, reopen_count = EXCLUDED.reopen_count,
                    last_event_id = EXCLUDED.last_event_id, source = EXCLUDED.source
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
                upsert.setString(15, t.source);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
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
