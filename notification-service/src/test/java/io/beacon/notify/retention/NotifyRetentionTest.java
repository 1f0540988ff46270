package io.beacon.notify.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.notify.support.WebhookSink;
import io.beacon.platform.retention.Retention;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The delivery log is pruned by age in the order its rows point to each other: dead letters, then
 * finished deliveries (a digest once the items it carried are gone), then the received records — and
 * never a delivery still owed to someone.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class NotifyRetentionTest {

    @Inject
    Retention retention;

    @Inject
    EntityManager em;

    @Test
    void oldFinishedDeliveriesGoWithTheirRecordsAndWhatIsStillOwedStays() {
        String run = "ret-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            // Old and finished: a sent e-mail, a dead webhook with its dead letter, two items carried by a digest.
            notification(run + "-sent", "40 days");
            long sent = delivery(run + "-sent", "EMAIL", "SENT", "40 days", null);
            notification(run + "-dead", "100 days");
            long dead = delivery(run + "-dead", "WEBHOOK", "DEAD", "100 days", null);
            em.createNativeQuery("INSERT INTO dead_letter (delivery_id, reason, attempts, dead_at) "
                    + "VALUES (?1, 'refused', 5, now() - interval '100 days')").setParameter(1, dead).executeUpdate();
            long digest = delivery(null, "EMAIL", "SENT", "35 days", null);
            notification(run + "-item1", "35 days");
            delivery(run + "-item1", "EMAIL", "DIGESTED", "35 days", digest);
            notification(run + "-item2", "35 days");
            delivery(run + "-item2", "EMAIL", "DIGESTED", "35 days", digest);
            // Old but still owed: pending, and waiting for a digest.
            notification(run + "-pending", "40 days");
            delivery(run + "-pending", "EMAIL", "PENDING", "40 days", null);
            notification(run + "-awaiting", "40 days");
            delivery(run + "-awaiting", "EMAIL", "DIGEST", "40 days", null);
            // Young.
            notification(run + "-young", "2 days");
            delivery(run + "-young", "EMAIL", "SENT", "2 days", null);
            em.createNativeQuery("UPDATE delivery SET address = ?1 WHERE id = ?2").setParameter(1, run)
                    .setParameter(2, digest).executeUpdate();
            assertThat(sent).isPositive();
        });

        retention.prune();

        assertThat(strings("SELECT event_id FROM notification WHERE event_id LIKE ?1", run))
                .containsExactlyInAnyOrder(run + "-pending", run + "-awaiting", run + "-young");
        assertThat(strings("SELECT event_id FROM delivery WHERE event_id LIKE ?1", run))
                .containsExactlyInAnyOrder(run + "-pending", run + "-awaiting", run + "-young");
        assertThat(strings("SELECT address FROM delivery WHERE address = ?1", run)).as("the digest, once its items are gone").isEmpty();
        assertThat(strings("SELECT reason FROM dead_letter d JOIN delivery x ON x.id = d.delivery_id WHERE x.event_id LIKE ?1", run))
                .isEmpty();
    }

    private List<String> strings(String sql, String run) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(sql, String.class)
                .setParameter(1, sql.contains("LIKE") ? run + "%" : run).getResultList());
    }

    private void notification(String eventId, String age) {
        em.createNativeQuery("INSERT INTO notification (event_id, cta_id, account_id, kind, escalated, payload, received_at) "
                + "VALUES (?1, 'cta', 'acc', 'OPENED', false, '{}', now() - CAST(?2 AS interval))")
                .setParameter(1, eventId).setParameter(2, age).executeUpdate();
    }

    private long delivery(String eventId, String channel, String status, String age, Long digest) {
        return ((Number) em.createNativeQuery("INSERT INTO delivery (event_id, recipient_id, recipient_role, channel, "
                + "address, status, digest_id, digest_date, created_at, next_attempt_at) VALUES (CAST(?1 AS varchar), 'csm-ret', "
                + "'OWNER', ?2, 'x@example.com', ?3, CAST(?4 AS bigint), "
                + (eventId == null ? "CAST(now() - CAST(?5 AS interval) AS date) - (random() * 100000)::int" : "NULL")
                + ", now() - CAST(?5 AS interval), now() + interval '1 day') RETURNING id")
                .setParameter(1, eventId).setParameter(2, channel).setParameter(3, status).setParameter(4, digest)
                .setParameter(5, age).getSingleResult()).longValue();
    }
}
