package io.beacon.accounts.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Segment;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.platform.kafka.CloudEventRecords;
import io.beacon.platform.outbox.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class AccountSnapshotPublishingTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ObjectMapper json;

    @Inject
    OutboxRelay relay;

    @Test
    void crossingASegmentBoundaryPublishesANewerSnapshot() throws Exception {
        String csm = createCsm();
        String account = "acct-" + UUID.randomUUID();

        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(account(account, 99, csm))
                .when().post("/api/v1/accounts")
                .then().statusCode(201)
                .body("segment", equalTo("MERCURY"))
                .body("version", equalTo(1));
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(account(account, 100, csm))
                .when().put("/api/v1/accounts/" + account)
                .then().statusCode(200)
                .body("segment", equalTo("MARS"))
                .body("version", equalTo(2));

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.ACCOUNTS_SNAPSHOTS, account, 2);
        AccountSnapshot first = json.readValue(records.get(0).value(), AccountSnapshot.class);
        AccountSnapshot second = json.readValue(records.get(1).value(), AccountSnapshot.class);
        assertThat(first.segment()).isEqualTo(Segment.MERCURY);
        assertThat(second.segment()).isEqualTo(Segment.MARS);
        assertThat(second.version()).isGreaterThan(first.version());
        assertThat(second.csm().id()).isEqualTo(csm);
        assertThat(CloudEventRecords.header(records.get(1).headers(), CloudEventHeaders.TYPE))
                .isEqualTo(CloudEventHeaders.TYPE_ACCOUNT_SNAPSHOT);
        assertThat(CloudEventRecords.header(records.get(1).headers(), CloudEventHeaders.ID)).isEqualTo(account + ":v2");
        assertThat(second.csm().team()).isEqualTo("team-" + csm);
    }

    @Test
    void namingATeamsLeadPublishesItsAccountsAgainWithTheLead() throws Exception {
        String csm = createCsm();
        String account = "acct-" + UUID.randomUUID();
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON).body(account(account, 150, csm))
                .when().post("/api/v1/accounts").then().statusCode(201);
        String stranger = createCsm();
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON).body("{\"csmId\":\"" + stranger + "\"}")
                .when().put("/api/v1/teams/team-" + csm + "/lead").then().statusCode(400)
                .body("errors[0].field", equalTo("csmId"));
        given().auth().oauth2(infra.token(Roles.CSM, csm)).contentType(ContentType.JSON).body("{\"csmId\":\"" + csm + "\"}")
                .when().put("/api/v1/teams/team-" + csm + "/lead").then().statusCode(403);
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON).body("{\"csmId\":\"" + csm + "\"}")
                .when().put("/api/v1/teams/team-" + csm + "/lead").then().statusCode(200).body("lead", equalTo(csm));

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.ACCOUNTS_SNAPSHOTS, account, 2);
        AccountSnapshot first = json.readValue(records.get(0).value(), AccountSnapshot.class);
        AccountSnapshot second = json.readValue(records.get(1).value(), AccountSnapshot.class);
        assertThat(first.csm().teamLead()).isNull();
        assertThat(second.csm().teamLead()).isEqualTo(csm);
        assertThat(second.version()).isGreaterThan(first.version());
    }

    @Test
    void aTestAccountSaysSoInItsSnapshotAndKeepsSayingSoUntilToldOtherwise() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(account(account, 120, null).replace("}", ",\"test\":true}"))
                .when().post("/api/v1/accounts").then().statusCode(201).body("test", equalTo(true));
        // A later change that does not mention the flag keeps it.
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON).body(account(account, 130, null))
                .when().put("/api/v1/accounts/" + account).then().statusCode(200).body("test", equalTo(true));
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(account(account, 130, null).replace("}", ",\"test\":false}"))
                .when().put("/api/v1/accounts/" + account).then().statusCode(200).body("test", equalTo(false));

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.ACCOUNTS_SNAPSHOTS, account, 3);
        assertThat(json.readValue(records.get(0).value(), AccountSnapshot.class).testAccount()).isTrue();
        assertThat(json.readValue(records.get(1).value(), AccountSnapshot.class).testAccount()).isTrue();
        assertThat(json.readValue(records.get(2).value(), AccountSnapshot.class).testAccount()).isFalse();
        assertThat(records.get(2).value()).doesNotContain("\"test\"");
    }

    @Test
    void snapshotCommittedWhileTheRelayIsDownIsPublishedWhenItReturns() {
        String account = "acct-" + UUID.randomUUID();
        relay.pause();
        try {
            given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                    .body(account(account, 5000, null))
                    .when().post("/api/v1/accounts")
                    .then().statusCode(201);
            assertThat(relay.pending()).isPositive();
        } finally {
            relay.resume();
        }

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.ACCOUNTS_SNAPSHOTS, account, 1);
        assertThat(records.get(0).value()).contains("\"segment\":\"JUPITER\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.pending() == 0);
    }

    private String createCsm() {
        String id = "csm-" + UUID.randomUUID();
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body("{\"name\":\"team-" + id + "\",\"segment\":\"MARS\"}")
                .when().post("/api/v1/teams")
                .then().statusCode(201);
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"name\":\"Dana Reyes\",\"email\":\"dana@example.com\",\"team\":\"team-" + id + "\"}")
                .when().post("/api/v1/csms")
                .then().statusCode(201);
        return id;
    }

    static String account(String id, int employees, String csmId) {
        return """
                {"id":"%s","name":"Acme Corp","employees":%d,%s"arr":120000.00,"renewalDate":"2027-03-31"}
                """.formatted(id, employees, csmId == null ? "" : "\"csmId\":\"" + csmId + "\",");
    }
}
