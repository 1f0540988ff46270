package io.beacon.notify.inbox;

import io.beacon.platform.tx.Jdbc;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.beacon.contracts.CtaEvent;
import io.beacon.notify.content.CtaMessage;
import io.beacon.notify.content.Renderer;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The in-app inbox: one item per CTA change and recipient, read and unread. */
@ApplicationScoped
public class InboxService {

    private final EntityManager em;
    private final Renderer renderer;
    private final Clock clock;

    InboxService(EntityManager em, Renderer renderer, Clock clock) {
        this.em = em;
        this.renderer = renderer;
        this.clock = clock;
    }

    /** A batch of inbox items for {@link #add}, sent with {@code execute} in the caller's transaction. */
    public Jdbc.Batch newItems() {
        return Jdbc.batch("""
                INSERT INTO inbox_item (cta_event_id, recipient_id, cta_id, account_id, kind, cta_type, priority,
                                        escalated, title, account_name, segment, body, link, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (cta_event_id, recipient_id) DO NOTHING
                """);
    }

    /** Adds the item to {@code items}; unless this recipient already has it for this event (a redelivery). */
    public void add(Jdbc.Batch items, CtaEvent event, String recipient, CtaMessage message, Instant now) {
        items.add(event.eventId(), recipient, event.ctaId(), event.accountId(), event.kind().name(),
                event.type() == null ? null : event.type().name(), message.priority(), event.escalated(),
                renderer.inboxTitle(message), message.accountName(), message.segment(), renderer.inboxBody(message),
                message.link(), Timestamp.from(now));
    }

    @Transactional
    public List<InboxItem> inbox(String recipient, boolean unreadOnly, int limit) {
        String query = unreadOnly ? "recipientId = ?1 and readAt is null" : "recipientId = ?1";
        return InboxItem.<InboxItem> find(query, Sort.descending("createdAt", "id"), recipient).page(0, limit).list();
    }

    /** How many items {@link #inbox} could list, without a limit. */
    @Transactional
    public long count(String recipient, boolean unreadOnly) {
        return InboxItem.count(unreadOnly ? "recipientId = ?1 and readAt is null" : "recipientId = ?1", recipient);
    }

    @Transactional
    public long unread(String recipient) {
        return InboxItem.count("recipientId = ?1 and readAt is null", recipient);
    }

    /** @return false when the recipient has no such item */
    @Transactional
    public boolean mark(String recipient, long id, boolean read) {
        InboxItem item = InboxItem.findById(id);
        if (item == null || !item.recipientId.equals(recipient)) {
            return false;
        }
        if (read && item.readAt == null) {
            item.readAt = clock.instant();
        } else if (!read) {
            item.readAt = null;
        }
        return true;
    }

    /** @return how many items were marked read */
    @Transactional
    public int markAllRead(String recipient) {
        return InboxItem.update("readAt = ?1 where recipientId = ?2 and readAt is null", clock.instant(), recipient);
    }
}
