package io.beacon.notify.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.NotificationDeadLetter;
import io.beacon.contracts.Topics;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * The delivery log's state changes: which deliveries a dispatcher pass takes on, what happened to
 * each attempt, and the dead letters. A failed attempt is tried again after an exponentially growing,
 * jittered pause; after the last allowed attempt the delivery is dead-lettered, in the database and,
 * through the outbox, on {@code notifications.dlq}.
 */
@ApplicationScoped
public class DeliveryLog {

    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);

    private final EntityManager em;
    private final Outbox outbox;
    private final NotifyConfig config;
    private final Clock clock;
    private final MeterRegistry registry;

    DeliveryLog(EntityManager em, Outbox outbox, NotifyConfig config, Clock clock, MeterRegistry registry) {
        this.em = em;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
    }

    /** Takes up to {@code limit} due deliveries of one channel for this pass; other passes skip them. */
    @Transactional
    public List<Long> claim(Channel channel, int limit) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                SELECT id FROM delivery
                WHERE status = 'PENDING' AND channel = ?1 AND next_attempt_at <= ?2
                  AND (claimed_until IS NULL OR claimed_until < ?2)
                ORDER BY next_attempt_at, id
                LIMIT ?3
                FOR UPDATE SKIP LOCKED
                """).setParameter(1, channel.name()).setParameter(2, now).setParameter(3, limit).getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Long[] claimed = ids.stream().map(Number::longValue).toArray(Long[]::new);
        em.createNativeQuery("UPDATE delivery SET claimed_until = ?1 WHERE id = ANY(?2)")
                .setParameter(1, now.plus(config.dispatch().claimFor()))
                .setParameter(2, claimed)
                .executeUpdate();
        return List.of(claimed);
    }

    @Transactional
    public void succeeded(long id) {
        Delivery delivery = em.find(Delivery.class, id, LockModeType.PESSIMISTIC_WRITE);
        delivery.attempts++;
        delivery.status = DeliveryStatus.SENT;
        delivery.sentAt = clock.instant();
        delivery.claimedUntil = null;
        registry.counter("beacon.notify.deliveries", "channel", delivery.channel.name(), "outcome", "sent").increment();
    }

    /** Records a failed attempt: retried later, or dead-lettered when it was the last one allowed. */
    @Transactional
    public void failed(long id, String reason) {
        Instant now = clock.instant();
        Delivery delivery = em.find(Delivery.class, id, LockModeType.PESSIMISTIC_WRITE);
        delivery.attempts++;
        delivery.lastError = reason;
        delivery.claimedUntil = null;
        LOG.infof("Delivery %d (%s to %s) failed on attempt %d of %d: %s", delivery.id, delivery.channel,
                delivery.recipientId, delivery.attempts, config.retry().maxAttempts(), reason);
        if (delivery.attempts < config.retry().maxAttempts()) {
            delivery.nextAttemptAt = now.plus(backoff(delivery.attempts));
            registry.counter("beacon.notify.deliveries", "channel", delivery.channel.name(), "outcome", "retry")
                    .increment();
            return;
        }
        delivery.status = DeliveryStatus.DEAD;
        DeadLetter letter = new DeadLetter();
        letter.deliveryId = delivery.id;
        letter.reason = reason;
        letter.attempts = delivery.attempts;
        letter.deadAt = now;
        letter.persist();
        em.flush();
        Object[] cta = ctaOf(delivery);
        outbox.append(Topics.NOTIFICATIONS_DLQ, delivery.recipientId, "notification-dead-letter-" + letter.id,
                CloudEventHeaders.TYPE_NOTIFICATION_DEAD_LETTER, Long.toString(delivery.id),
                new NotificationDeadLetter(delivery.id, delivery.eventId, (String) cta[0], (String) cta[1],
                        delivery.recipientId, delivery.channel.name(), delivery.address, delivery.attempts, reason, now));
        registry.counter("beacon.notify.deliveries", "channel", delivery.channel.name(), "outcome", "dead").increment();
    }

    /**
     * The pause before attempt {@code attempts + 1}: first-backoff doubled per attempt, capped, then
     * scaled by a random factor in [0.5, 1) so that deliveries failing together do not retry together.
     */
    Duration backoff(int attempts) {
        Duration base = config.retry().firstBackoff().multipliedBy(1L << Math.min(attempts - 1, 30));
        if (base.compareTo(config.retry().maxBackoff()) > 0 || base.isNegative()) {
            base = config.retry().maxBackoff();
        }
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis(Math.max(1, (long) (base.toMillis() * jitter)));
    }

    private Object[] ctaOf(Delivery delivery) {
        if (delivery.eventId == null) {
            return new Object[2];
        }
        return (Object[]) em.createNativeQuery("SELECT cta_id, account_id FROM notification WHERE event_id = ?1")
                .setParameter(1, delivery.eventId).getSingleResult();
    }

    public enum RetryOutcome {
        RETRYING, NOT_FOUND, NOT_DEAD
    }

    /** An admin sends a dead delivery round again, with a fresh set of attempts. */
    @Transactional
    public RetryOutcome retry(long id, String by) {
        Delivery delivery = em.find(Delivery.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (delivery == null) {
            return RetryOutcome.NOT_FOUND;
        }
        if (delivery.status != DeliveryStatus.DEAD) {
            return RetryOutcome.NOT_DEAD;
        }
        Instant now = clock.instant();
        delivery.status = DeliveryStatus.PENDING;
        delivery.attempts = 0;
        delivery.nextAttemptAt = now;
        DeadLetter.update("retriedAt = ?1, retriedBy = ?2 where deliveryId = ?3 and retriedAt is null", now, by, id);
        return RetryOutcome.RETRYING;
    }

    @Transactional
    public Optional<Delivery> find(long id) {
        return Delivery.findByIdOptional(id);
    }

    /** The newest matching deliveries, and how many match in all. */
    public record Found(List<Delivery> items, long total) {
    }

    /** Filters are optional; deliveries of a CTA are those of all its events. */
    @Transactional
    public Found search(String recipientId, String ctaId, String eventId, Channel channel,
            DeliveryStatus status, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (recipientId != null) {
            query.append(" and recipientId = :recipient");
            params.and("recipient", recipientId);
        }
        if (eventId != null) {
            query.append(" and eventId = :event");
            params.and("event", eventId);
        }
        if (ctaId != null) {
            query.append(" and eventId in (select n.eventId from Notification n where n.ctaId = :cta)");
            params.and("cta", ctaId);
        }
        if (channel != null) {
            query.append(" and channel = :channel");
            params.and("channel", channel);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        var found = Delivery.<Delivery> find(query.toString(), Sort.descending("id"), params);
        return new Found(found.page(0, limit).list(), found.count());
    }

    /** Dead letters not yet retried, newest first. */
    @Transactional
    public List<DeadLetter> openDeadLetters(int limit) {
        return DeadLetter.<DeadLetter> find("retriedAt is null", Sort.descending("deadAt", "id")).page(0, limit).list();
    }
}
