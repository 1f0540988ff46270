package io.beacon.engine.cta;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.engine.evaluation.ReevaluationJob;
import io.beacon.localstack.testing.TestClock;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class CtaActionsTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ReevaluationJob job;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    @Test
    void snoozedCtaStaysQuietUntilTheSnoozeEndsThenCatchesUp() {
        String owner = "csm-" + UUID.randomUUID();
        String account = accountWithSupportRisk(owner);
        String cta = onlyCta(account).extract().path("[0].id");

        given().auth().oauth2(infra.token(Roles.CSM, owner)).contentType(ContentType.JSON)
                .body("{\"until\":\"" + Instant.now().plus(Duration.ofDays(3)) + "\"}")
                .when().post("/api/v1/ctas/" + cta + "/snooze")
                .then().statusCode(200).body("status", equalTo("SNOOZED"));

        ticket(account, "t6", "open");
        awaitTickets(account, 6);
        onlyCta(account).body("[0].status", equalTo("SNOOZED")).body("[0].explanation.openTickets", equalTo(5));

        TestClock.INSTANCE.advance(Duration.ofDays(4));
        job.run();
        onlyCta(account).body("[0].status", equalTo("OPEN")).body("[0].explanation.openTickets", equalTo(6));
        assertThat(kinds(account, 4)).containsExactly("OPENED", "SNOOZED", "UPDATED", "UPDATED");
    }

    @Test
    void aCsmEndsHerSnoozeEarlyAndTheCtaIsOpenAgain() {
        String owner = "csm-" + UUID.randomUUID();
        String account = accountWithSupportRisk(owner);
        String cta = onlyCta(account).extract().path("[0].id");
        given().auth().oauth2(infra.token(Roles.CSM, owner)).when().post("/api/v1/ctas/" + cta + "/unsnooze")
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(infra.token(Roles.CSM, owner)).contentType(ContentType.JSON)
                .body("{\"until\":\"" + Instant.now().plus(Duration.ofDays(3)) + "\"}")
                .when().post("/api/v1/ctas/" + cta + "/snooze").then().statusCode(200);
        given().auth().oauth2(infra.token(Roles.CSM, "csm-someone-else")).when().post("/api/v1/ctas/" + cta + "/unsnooze")
                .then().statusCode(404);
        given().auth().oauth2(infra.token(Roles.CSM, owner)).when().post("/api/v1/ctas/" + cta + "/unsnooze")
                .then().statusCode(200).body("status", equalTo("OPEN")).body("snoozedUntil", org.hamcrest.Matchers.nullValue());
        assertThat(kinds(account, 3)).containsExactly("OPENED", "SNOOZED", "REOPENED");
    }

    @Test
    void supportRiskOpenForFourteenDaysEscalatesOnTheSchedule() {
        String owner = "csm-" + UUID.randomUUID();
        String account = accountWithSupportRisk(owner);

        TestClock.INSTANCE.advance(Duration.ofDays(15));
        job.run();

        onlyCta(account).body("[0].escalated", equalTo(true))
                .body("[0].priority", equalTo("CRITICAL"))
                .body("[0].rule", equalTo("SupportRiskAging"))
                .body("[0].explanation.openForDays", equalTo(14));
        assertThat(kinds(account, 2)).containsExactly("OPENED", "ESCALATED");
    }

    @Test
    void csmClosesAndReopensTheirCta() {
        String owner = "csm-" + UUID.randomUUID();
        String account = accountWithSupportRisk(owner);
        String cta = onlyCta(account).extract().path("[0].id");

        given().auth().oauth2(infra.token(Roles.CSM, owner)).contentType(ContentType.JSON)
                .body("{\"reason\":\"NOT_RELEVANT\",\"comment\":\"customer is migrating\"}")
                .when().post("/api/v1/ctas/" + cta + "/close")
                .then().statusCode(200).body("status", equalTo("CLOSED")).body("closeReason", equalTo("not relevant"));
        given().auth().oauth2(infra.token(Roles.CSM, owner)).when().post("/api/v1/ctas/" + cta + "/reopen")
                .then().statusCode(200).body("status", equalTo("OPEN"));
        given().auth().oauth2(infra.token(Roles.CSM, owner)).when().post("/api/v1/ctas/" + cta + "/reopen")
                .then().statusCode(409).contentType("application/problem+json");
        assertThat(kinds(account, 3)).containsExactly("OPENED", "CLOSED", "REOPENED");
    }

    @Test
    void onlyTheOwnerOrAnAdminActsOnACta() {
        String owner = "csm-" + UUID.randomUUID();
        String account = accountWithSupportRisk(owner);
        String cta = onlyCta(account).extract().path("[0].id");
        String body = "{\"until\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\"}";

        given().auth().oauth2(infra.token(Roles.CSM, "another-csm")).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ctas/" + cta + "/snooze").then().statusCode(404);
        given().auth().oauth2(infra.token(Roles.EXEC)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ctas/" + cta + "/snooze").then().statusCode(403);
        given().auth().oauth2(infra.token(Roles.CSM, owner)).contentType(ContentType.JSON)
                .body("{\"until\":\"" + Instant.now().plus(Duration.ofDays(200)) + "\"}")
                .when().post("/api/v1/ctas/" + cta + "/snooze").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("until"));
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ctas/" + cta + "/snooze").then().statusCode(200);
    }

    @Test
    void aCsmWalksAllTheirOpenCtasPageByPage() {
        String owner = "csm-" + UUID.randomUUID();
        List<String> accounts = List.of(accountWithSupportRisk(owner), accountWithSupportRisk(owner),
                accountWithSupportRisk(owner));
        String token = infra.token(Roles.CSM, owner);
        java.util.Set<String> seen = new java.util.HashSet<>();
        String next = "/api/v1/ctas?status=open&size=2";
        int pages = 0;
        while (next != null) {
            var response = given().auth().oauth2(token).get(next).then().statusCode(200)
                    .header("X-Total-Count", "3").extract();
            List<String> ids = response.path("accountId");
            assertThat(ids).hasSizeLessThanOrEqualTo(2);
            seen.addAll(ids);
            pages++;
            String link = response.header("Link");
            next = link == null ? null : URI.create(link.replaceAll("^<([^>]*)>.*$", "$1")).getRawPath() + "?"
                    + URI.create(link.replaceAll("^<([^>]*)>.*$", "$1")).getRawQuery();
        }
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(accounts);
        given().auth().oauth2(token).get("/api/v1/ctas?status=BOGUS&escalated=maybe").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"))
                .body("detail", org.hamcrest.Matchers.containsString("OPEN, SNOOZED, CLOSED"));
        given().auth().oauth2(token).get("/api/v1/ctas?size=501").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
    }

    private String accountWithSupportRisk(String owner) {
        String account = "acct-" + UUID.randomUUID();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test","employees":50,"segment":"MERCURY",
                 "csm":{"id":"%s","name":"CSM","email":"c@example.com","team":"T"},"version":1}
                """.formatted(account, owner));
        for (int i = 1; i <= 5; i++) {
            ticket(account, "t" + i, "open");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> onlyCta(account));
        return account;
    }

    /** A ticket created long ago (out of the surge rule's windows, so only support risk speaks), updated now. */
    private void ticket(String account, String id, String status) {
        Instant now = Instant.now();
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"%s","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), now, account, id, status, now.minus(Duration.ofDays(40)), now));
    }

    private ValidatableResponse onlyCta(String account) {
        return given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("accountId", account).get("/api/v1/ctas")
                .then().statusCode(200).body("$", hasSize(1));
    }

    private void awaitTickets(String account, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/accounts/" + account + "/tickets").then().body("$", hasSize(count)));
    }

    private List<String> kinds(String account, int count) {
        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.CTAS_EVENTS, account, count);
        return records.stream().map(r -> r.value().replaceAll(".*\"kind\":\"([A-Z]+)\".*", "$1")).toList();
    }
}
