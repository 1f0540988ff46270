package io.beacon.platform.outbox;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * The transactional outbox: a service writes the event it owes Kafka into {@code outbox_event}
 * in the same database transaction as the change it describes. {@link OutboxRelay} sends it
 * afterwards, so a crash between commit and publish delays an event but never loses it.
 * <p>
 * A service that uses it sets {@code beacon.outbox.enabled=true} and creates the table in a
 * Flyway migration of its own schema (columns: see {@link OutboxRelay}).
 */
@ApplicationScoped
@IfBuildProperty(name = "beacon.outbox.enabled", stringValue = "true")
public class Outbox {

    private final EntityManager em;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    Outbox(EntityManager em, ObjectMapper json, TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.em = em;
        this.json = json;
        this.transactions = transactions;
        this.relay = relay;
    }

    /** One record owed to Kafka; see {@link #append}. */
    public record Entry(String topic, String key, String id, String type, String subject, Object payload) {
    }

    /**
     * @param id the CloudEvents id of the record (unique per event; consumers deduplicate on it)
     * @param payload the record's value; {@code null} writes a tombstone (deletes the key on a compacted topic)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, String id, String type, String subject, Object payload) {
        String body = serialise(payload);
        em.createNativeQuery("""
                INSERT INTO outbox_event (event_id, topic, record_key, event_type, subject, payload, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS TEXT), ?7)
                """)
                .setParameter(1, id)
                .setParameter(2, topic)
                .setParameter(3, key)
                .setParameter(4, type)
                .setParameter(5, subject)
                .setParameter(6, body)
                .setParameter(7, Instant.now())
                .executeUpdate();
        wakeRelayAfterCommit();
    }

    /** Appends many records with one batched statement, in list order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<String> bodies = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            bodies.add(serialise(entry.payload()));
        }
        Timestamp now = Timestamp.from(Instant.now());
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO outbox_event (event_id, topic, record_key, event_type, subject, payload, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)) {
                for (int i = 0; i < entries.size(); i++) {
                    Entry entry = entries.get(i);
                    insert.setString(1, entry.id());
                    insert.setString(2, entry.topic());
                    insert.setString(3, entry.key());
                    insert.setString(4, entry.type());
                    insert.setString(5, entry.subject());
                    insert.setString(6, bodies.get(i));
                    insert.setTimestamp(7, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        wakeRelayAfterCommit();
    }

    private String serialise(Object payload) {
        try {
            return payload == null ? null : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox payload is not serialisable: " + e.getMessage(), e);
        }
    }

    private void wakeRelayAfterCommit() {
        // Once per transaction is enough: one relay pass sends everything pending.
        io.beacon.platform.tx.AfterCommit.once(transactions, Outbox.class, () -> {
            try {
                relay.wake();
            } catch (RuntimeException e) {
                // Early in startup the relay's channel may not be wired yet; the scheduled
                // pass sends the rows a moment later.
            }
        });
    }
}
