package io.beacon.platform.outbox;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

    Outbox(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /**
     * @param id the CloudEvents id of the record (unique per event; consumers deduplicate on it)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, String id, String type, String subject, Object payload) {
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox payload is not serialisable: " + e.getMessage(), e);
        }
        em.createNativeQuery("""
                INSERT INTO outbox_event (event_id, topic, record_key, event_type, subject, payload, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """)
                .setParameter(1, id)
                .setParameter(2, topic)
                .setParameter(3, key)
                .setParameter(4, type)
                .setParameter(5, subject)
                .setParameter(6, body)
                .setParameter(7, Instant.now())
                .executeUpdate();
    }
}
