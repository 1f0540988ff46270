package io.beacon.notify.summary;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import io.beacon.contracts.CtaEvent;
import io.beacon.platform.tx.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Keeps {@code cta_view}: every CTA as its latest change describes it. Changes are applied in the
 * order they happened; one older than what the row already holds changes nothing, so a late or
 * repeated record cannot move a CTA back.
 */
@ApplicationScoped
public class CtaViews {

    private static final String UPSERT = """
            INSERT INTO cta_view AS v (cta_id, account_id, type, reason, priority, escalated, status, owner_csm_id,
                                       opened_at, escalated_at, closed_at, close_reason, last_event_at)
            VALUES (?, ?, ?, ?, ?, ?, coalesce(?::varchar, 'OPEN'), ?, ?::timestamptz,
                    CASE WHEN ? THEN ?::timestamptz END, ?::timestamptz, ?, ?::timestamptz)
            ON CONFLICT (cta_id) DO UPDATE SET
                account_id = EXCLUDED.account_id,
                type = coalesce(EXCLUDED.type, v.type),
                reason = coalesce(EXCLUDED.reason, v.reason),
                priority = coalesce(EXCLUDED.priority, v.priority),
                escalated = EXCLUDED.escalated,
                status = coalesce(?::varchar, v.status),
                owner_csm_id = coalesce(EXCLUDED.owner_csm_id, v.owner_csm_id),
                escalated_at = CASE WHEN NOT EXCLUDED.escalated THEN NULL
                                    ELSE coalesce(v.escalated_at, EXCLUDED.last_event_at) END,
                closed_at = CASE ?::varchar WHEN 'CLOSED' THEN EXCLUDED.last_event_at
                                            WHEN 'OPEN' THEN NULL ELSE v.closed_at END,
                close_reason = CASE ?::varchar WHEN 'CLOSED' THEN EXCLUDED.close_reason
                                               WHEN 'OPEN' THEN NULL ELSE v.close_reason END,
                last_event_at = EXCLUDED.last_event_at
            WHERE v.last_event_at <= EXCLUDED.last_event_at
            """;

    private final EntityManager em;

    CtaViews(EntityManager em) {
        this.em = em;
    }

    /** Applies new (never seen) changes, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(List<CtaEvent> changes, Instant receivedAt) {
        Jdbc.Batch batch = Jdbc.batch(UPSERT);
        changes.stream().sorted(Comparator.comparing(e -> at(e, receivedAt))).forEach(event -> {
            String status = statusAfter(event.kind());
            Timestamp at = Timestamp.from(at(event, receivedAt));
            batch.add(event.ctaId(), event.accountId(), name(event.type()), event.reason(), name(event.priority()),
                    event.escalated(), status, event.ownerCsmId(), at, event.escalated(), at,
                    "CLOSED".equals(status) ? at : null, "CLOSED".equals(status) ? event.closeReason() : null, at,
                    status, status, status);
        });
        batch.execute(em);
    }

    /** What a change of this kind makes of the CTA's status; null when it leaves the status as it was. */
    static String statusAfter(CtaEvent.Kind kind) {
        return switch (kind) {
            case OPENED, REOPENED -> "OPEN";
            case SNOOZED -> "SNOOZED";
            case CLOSED -> "CLOSED";
            case UPDATED, ESCALATED, REASSIGNED -> null;
        };
    }

    private static Instant at(CtaEvent event, Instant receivedAt) {
        return event.occurredAt() != null ? event.occurredAt() : receivedAt;
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
