package io.beacon.accounts.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/** What consumers of accounts.snapshots rely on. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class SnapshotTopicTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ObjectMapper json;

    @AfterEach
    void brokerIsBack() {
        infra.kafka().start();
    }

    @Test
    void aConsumerRebuildsTheCurrentViewFromTheTopicAlone() throws Exception {
        String prefix = "rebuild-" + UUID.randomUUID() + "-";
        String team = Fixtures.team("MARS");
        String csm = Fixtures.csm(team);
        for (int i = 0; i < 3; i++) {
            Fixtures.createAccount(OwnershipAndHealthTest.account(prefix + i, 100 + i, csm)).statusCode(201);
        }
        // Account 0 changes twice more and ends up a VENUS account; account 2 is deleted.
        replace(prefix + "0", 350, csm);
        replace(prefix + "0", 450, csm);
        given().auth().oauth2(Fixtures.admin()).delete("/api/v1/accounts/" + prefix + "2").then().statusCode(204);

        Map<String, AccountSnapshot> view = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            int expected = i == 0 ? 3 : i == 1 ? 1 : 2; // records per key: 3 versions; 1; 1 + tombstone
            for (ConsumerRecord<String, String> r : infra.awaitRecords(Topics.ACCOUNTS_SNAPSHOTS, prefix + i, expected)) {
                if (r.value() == null) {
                    view.remove(r.key());
                } else {
                    AccountSnapshot s = json.readValue(r.value(), AccountSnapshot.class);
                    view.merge(r.key(), s, (old, neu) -> neu.version() > old.version() ? neu : old);
                }
            }
        }

        assertThat(view).containsOnlyKeys(prefix + "0", prefix + "1");
        for (String id : view.keySet()) {
            Map<String, Object> api = given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + id)
                    .then().statusCode(200).extract().path("$");
            assertThat(view.get(id).version()).isEqualTo(((Number) api.get("version")).longValue());
            assertThat(view.get(id).segment().name()).isEqualTo(api.get("segment"));
            assertThat(view.get(id).employees()).isEqualTo(api.get("employees"));
        }
        assertThat(view.get(prefix + "0").segment().name()).isEqualTo("VENUS");
    }

    @Test
    void changesCommittedWhileKafkaIsDownArePublishedWhenItReturns() {
        String id = "outage-" + UUID.randomUUID();
        infra.kafka().stop();
        // The database commit succeeds; the relay cannot publish yet.
        Fixtures.createAccount(OwnershipAndHealthTest.account(id, 42, null)).statusCode(201);
        infra.kafka().start();

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.ACCOUNTS_SNAPSHOTS, id, 1,
                Duration.ofSeconds(90));
        assertThat(records.get(0).value()).contains("\"accountId\":\"" + id + "\"", "\"version\":1");
    }

    private void replace(String id, int employees, String csm) {
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(OwnershipAndHealthTest.account(id, employees, csm))
                .when().put("/api/v1/accounts/" + id).then().statusCode(200);
    }
}
