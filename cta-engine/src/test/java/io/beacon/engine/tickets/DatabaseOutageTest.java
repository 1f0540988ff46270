package io.beacon.engine.tickets;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Events and account snapshots that arrive while PostgreSQL is down wait for it; none is dead-lettered or lost. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class DatabaseOutageTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @AfterEach
    void databaseIsBack() throws Exception {
        infra.postgres().start();
    }

    @Test
    void eventsSentWhileTheDatabaseIsDownAreAppliedWhenItReturns() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test","employees":50,"segment":"MERCURY",
                 "csm":{"id":"csm-x","name":"CSM","email":"c@example.com","team":"T"},"version":1}
                """.formatted(account));
        ticket(account, "t0");
        awaitTickets(account, 1);

        infra.postgres().stop();
        for (int i = 1; i <= 5; i++) {
            ticket(account, "t" + i);
        }
        infra.postgres().start();

        awaitTickets(account, 6);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .queryParam("accountId", account).get("/api/v1/ctas").then()
                .body("$", hasSize(1)).body("[0].explanation.openTickets", equalTo(6)));
    }

    @Test
    void anAccountSnapshotThatArrivesWhileTheDatabaseIsDownIsAppliedWhenItReturns() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        infra.postgres().stop();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test","employees":50,"segment":"MERCURY",
                 "csm":{"id":"csm-x","name":"CSM","email":"c@example.com","team":"T"},"version":1}
                """.formatted(account));
        for (int i = 1; i <= 5; i++) {
            ticket(account, "t" + i);
        }
        infra.postgres().start();

        // Without its account the tickets would be kept but never evaluated: no CTA.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .queryParam("accountId", account).get("/api/v1/ctas").then()
                .body("$", hasSize(1)).body("[0].explanation.openTickets", equalTo(5)));
    }

    private void ticket(String account, String id) {
        Instant now = Instant.now();
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"open","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), now, account, id, now.minusSeconds(7200), now));
    }

    private void awaitTickets(String account, int count) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/accounts/" + account + "/tickets").then().statusCode(200).body("$", hasSize(count)));
    }
}
