package io.beacon.platform.outbox;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
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

    /**
     * @param id the CloudEvents id of the record (unique per event; consumers deduplicate on it)
     * @param payload the record's value; {@code null} writes a tombstone (deletes the key on a compacted topic)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, String id, String type, String subject, Object payload) {
        String body;
        try {
            body = payload == null ? null : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox payload is not serialisable: " + e.getMessage(), e);
        }
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

    private void wakeRelayAfterCommit() {
        // Once per transaction is enough: one relay pass sends everything pending.
        if (transactions.getResource(Outbox.class) == null) {
            transactions.putResource(Outbox.class, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.wake();
                    }
                }
            });
        }
    }
}
