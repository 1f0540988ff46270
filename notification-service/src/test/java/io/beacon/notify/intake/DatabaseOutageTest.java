package io.beacon.notify.intake;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.accountview.AccountView;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.WebhookSink;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Account snapshots that arrive while PostgreSQL is down wait for it; none is dropped and the stream goes on. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class DatabaseOutageTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @AfterEach
    void databaseIsBack() throws Exception {
        infra.postgres().start();
    }

    @Test
    void snapshotsSentWhileTheDatabaseIsDownAreAppliedWhenItReturns() throws Exception {
        // A snapshot before the outage, so the consumer holds pooled connections that the outage breaks.
        Fixtures.account(infra, Fixtures.id("acct"), "Before", "MARS", "csm-a", "A", "a@example.com", "Mars-1");
        String during = Fixtures.id("acct");
        String after = Fixtures.id("acct");

        infra.postgres().stop();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, during, snapshot(during));
        infra.postgres().start();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, after, snapshot(after));

        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> QuarkusTransaction.requiringNew()
                .call(() -> AccountView.findById(during) != null && AccountView.findById(after) != null));
    }

    private static String snapshot(String account) {
        return """
                {"accountId":"%s","name":"Outage","employees":250,"segment":"MARS","arr":1000.00,"version":1,
                 "csm":{"id":"csm-b","name":"B","email":"b@example.com","team":"Mars-1"}}
                """.formatted(account);
    }
}
