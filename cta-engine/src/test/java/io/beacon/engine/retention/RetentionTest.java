package io.beacon.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.platform.retention.Retention;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Old rows go, young ones and those still needed stay: event ids past their redelivery window,
 * relayed outbox rows (never pending ones), finished backtests (never running ones), rule failures.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class RetentionTest {

    @Inject
    Retention retention;

    @Inject
    EntityManager em;

    @Test
    void rowsOlderThanTheirAgeAreDeletedAndWhatIsStillNeededStays() {
        String run = UUID.randomUUID().toString().substring(0, 13); // backtest ids are at most 40 characters
        QuarkusTransaction.requiringNew().run(() -> {
            processed(run + "-old", "8 days");
            processed(run + "-young", "6 days");
            outbox(run + "-relayed-old", "2 days", true);
            outbox(run + "-relayed-young", "1 hour", true);
            outbox(run + "-pending-old", "20 days", false);
            backtest(run + "-done-old", "DONE", "31 days");
            backtest(run + "-running-old", "RUNNING", "31 days");
            backtest(run + "-done-young", "DONE", "29 days");
            failure(run + "-old", "31 days");
            failure(run + "-young", "1 day");
        });

        Map<String, Long> deleted = retention.prune();
        assertThat(deleted).containsKeys("relayed-outbox", "processed-events", "finished-backtests", "rule-failures");
        assertThat(deleted.values()).allMatch(n -> n >= 0);

        assertThat(ids("SELECT event_id FROM processed_event WHERE event_id LIKE ?1", run))
                .containsExactly(run + "-young");
        assertThat(ids("SELECT event_id FROM outbox_event WHERE event_id LIKE ?1", run))
                .containsExactlyInAnyOrder(run + "-relayed-young", run + "-pending-old");
        assertThat(ids("SELECT id FROM backtest WHERE id LIKE ?1", run))
                .containsExactlyInAnyOrder(run + "-running-old", run + "-done-young");
        assertThat(ids("SELECT account_id FROM rule_failure WHERE account_id LIKE ?1", run))
                .containsExactly(run + "-young");
        assertThat(retention.prune().values()).as("a second pass finds nothing more").allMatch(n -> n == 0);
    }

    private List<String> ids(String sql, String run) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(sql, String.class)
                .setParameter(1, run + "%").getResultList());
    }

    private void processed(String id, String age) {
        em.createNativeQuery("INSERT INTO processed_event (event_id, account_id, processed_at) "
                + "VALUES (?1, 'acc', now() - CAST(?2 AS interval))").setParameter(1, id).setParameter(2, age).executeUpdate();
    }

    private void outbox(String id, String age, boolean relayed) {
        em.createNativeQuery("INSERT INTO outbox_event (event_id, topic, record_key, event_type, payload, created_at, published_at) "
                + "VALUES (?1, 'ctas.events', 'retention-test', 't', '{}', now() - CAST(?2 AS interval), "
                + (relayed ? "now() - CAST(?2 AS interval)" : "NULL") + ")")
                .setParameter(1, id).setParameter(2, age).executeUpdate();
    }

    private void backtest(String id, String status, String age) {
        em.createNativeQuery("INSERT INTO backtest (id, ruleset, version, against, window_from, window_to, status, "
                + "requested_by, started_at, finished_at, heartbeat_at) VALUES (?1, 'r', 1, 1, now(), now(), ?2, 'test', "
                + "now() - CAST(?3 AS interval), now() - CAST(?3 AS interval), now())")
                .setParameter(1, id).setParameter(2, status).setParameter(3, age).executeUpdate();
    }

    private void failure(String account, String age) {
        em.createNativeQuery("INSERT INTO rule_failure (account_id, ruleset, ruleset_version, message, occurred_at) "
                + "VALUES (?1, 'r', 1, 'm', now() - CAST(?2 AS interval))").setParameter(1, account).setParameter(2, age)
                .executeUpdate();
    }
}
