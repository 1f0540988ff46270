package io.beacon.notify.service;

import java.time.Instant;
import java.util.List;

import io.beacon.contracts.CtaEvent;
import io.beacon.notify.domain.InboxItem;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The in-app inbox: each CTA change becomes one item for its recipient, once. */
@ApplicationScoped
public class InboxService {

    /** Where a CTA without a known owner goes, so it is seen by someone rather than dropped. */
    public static final String UNASSIGNED_QUEUE = "queue:unassigned";

    private final EntityManager em;

    InboxService(EntityManager em) {
        this.em = em;
    }

    /** @return whether a new item was created (false for a redelivered event) */
    @Transactional
    public boolean deliver(CtaEvent event) {
        String recipient = event.ownerCsmId() == null || event.ownerCsmId().isBlank()
                ? UNASSIGNED_QUEUE
                : event.ownerCsmId();
        return em.createNativeQuery("""
                INSERT INTO inbox_item (cta_event_id, recipient_id, cta_id, account_id, kind, cta_type, priority,
                                        escalated, title, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                ON CONFLICT (cta_event_id, recipient_id) DO NOTHING
                """)
                .setParameter(1, event.eventId())
                .setParameter(2, recipient)
                .setParameter(3, event.ctaId())
                .setParameter(4, event.accountId())
                .setParameter(5, event.kind().name())
                .setParameter(6, event.type() == null ? null : event.type().name())
                .setParameter(7, event.priority() == null ? null : event.priority().name())
                .setParameter(8, event.escalated())
                .setParameter(9, title(event))
                .setParameter(10, Instant.now())
                .executeUpdate() == 1;
    }

    @Transactional
    public List<InboxItem> inbox(String recipient, int limit) {
        return InboxItem.<InboxItem> find("recipientId", Sort.descending("createdAt", "id"), recipient)
                .page(0, limit).list();
    }

    static String title(CtaEvent event) {
        String what = event.reason() != null ? event.reason() : String.valueOf(event.type());
        String verb = switch (event.kind()) {
            case OPENED -> "New CTA";
            case UPDATED -> "CTA updated";
            case ESCALATED -> "Escalated";
            case CLOSED -> "CTA closed";
            case SNOOZED -> "CTA snoozed";
            case REOPENED -> "CTA reopened";
        };
        return verb + ": " + what + " (" + event.accountId() + ")";
    }
}
