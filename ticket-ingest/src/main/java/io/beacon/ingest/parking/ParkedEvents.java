package io.beacon.ingest.parking;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.TicketEvent;
import io.beacon.platform.tx.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Events from a desk whose organisation no account carries yet. They are accepted (stored durably,
 * so a 202 still means "never lost") and wait here, without an account, until account-service gives
 * the organisation to one; the {@link Releaser} then publishes them under it in the order they came.
 */
@ApplicationScoped
public class ParkedEvents {

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    ParkedEvents(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    /** Parks an event (its account id is ignored); a second copy of the same event id is kept once. */
    @Transactional
    public void park(String source, String organizationId, TicketEvent event) {
        Jdbc.update(em, """
                INSERT INTO parked_event (event_id, source, organization_id, event, parked_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""", event.eventId(), source, organizationId,
                write(withAccount(event, null)), Timestamp.from(clock.instant()));
    }

    /** Whether events of this organisation are still waiting: a new one then queues behind them. */
    @Transactional
    public boolean waiting(String source, String organizationId) {
        return !em.createNativeQuery("""
                SELECT 1 FROM parked_event WHERE source = ?1 AND organization_id = ?2 AND released_at IS NULL LIMIT 1""")
                .setParameter(1, source).setParameter(2, organizationId).getResultList().isEmpty();
    }

    /** Waiting events per source and organisation. */
    public record Waiting(String source, String organizationId, long count, Instant oldest) {
    }

    @Transactional
    public List<Waiting> waiting() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT source, organization_id, count(*), min(parked_at) FROM parked_event WHERE released_at IS NULL
                GROUP BY source, organization_id ORDER BY count(*) DESC, source, organization_id LIMIT 1000""")
                .getResultList();
        return rows.stream().map(r -> new Waiting((String) r[0], (String) r[1], ((Number) r[2]).longValue(),
                r[3] instanceof Timestamp t ? t.toInstant() : (Instant) r[3])).toList();
    }

    public static TicketEvent withAccount(TicketEvent event, String accountId) {
        return new TicketEvent(event.eventId(), event.source(), event.type(), event.occurredAt(), accountId, event.ticket());
    }

    String write(TicketEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ticket event cannot be written as JSON", e);
        }
    }

    TicketEvent read(String stored) {
        try {
            return json.readValue(stored, TicketEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parked event is unreadable", e);
        }
    }
}
