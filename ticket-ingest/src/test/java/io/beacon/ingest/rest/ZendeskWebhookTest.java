package io.beacon.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.ingest.adapter.zendesk.ZendeskSignatureVerifier;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.platform.kafka.CloudEventRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Signing secret and organisation mapping come from the %test profile in application.properties. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class ZendeskWebhookTest {

    private static final String SECRET = "test-signing-secret";
    private static final String MAPPED_ORG = "90001";
    private static final String MAPPED_ACCOUNT = "acct-zendesk-acme";

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void signedTicketEventBecomesATicketEventOfTheMappedAccount() {
        String id = UUID.randomUUID().toString();
        String ticketId = "zd-" + id;

        post(payload(id, "zen:event-type:ticket.status_changed", ticketId, MAPPED_ORG, "OPEN"), SECRET, Instant.now())
                .statusCode(202)
                .body("accepted", hasItem("zendesk:" + id));

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.TICKETS_EVENTS, MAPPED_ACCOUNT, 1,
                java.time.Duration.ofSeconds(30));
        ConsumerRecord<String, String> record = records.stream()
                .filter(r -> r.value().contains(ticketId)).findFirst().orElseGet(() -> infra
                        .awaitRecords(Topics.TICKETS_EVENTS, MAPPED_ACCOUNT, records.size() + 1).stream()
                        .filter(r -> r.value().contains(ticketId)).findFirst().orElseThrow());
        assertThat(record.value()).contains("\"source\":\"zendesk\"", "\"type\":\"status_changed\"",
                "\"status\":\"open\"", "\"priority\":\"urgent\"", "\"type\":\"incident\"", "\"eventId\":\"zendesk:" + id);
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.SOURCE))
                .isEqualTo("/beacon/ticket-ingest/zendesk");
    }

    @Test
    void eventsOfAnOrganisationNoAccountCarriesAreParked_andReleasedInOrderOnceAccountServiceGivesItToAnAccount() {
        String run = UUID.randomUUID().toString();
        String org = "77" + Math.abs(run.hashCode());
        String account = "acct-parked-" + run;
        String ticketId = "zd-" + run;
        List<String> ids = List.of(run + "-1", run + "-2", run + "-3");
        List<String> types = List.of("zen:event-type:ticket.created", "zen:event-type:ticket.status_changed",
                "zen:event-type:ticket.priority_changed");
        List<String> statuses = List.of("NEW", "OPEN", "OPEN");
        for (int i = 0; i < ids.size(); i++) {
            post(payload(ids.get(i), types.get(i), ticketId, org, statuses.get(i)), SECRET, Instant.now())
                    .statusCode(202).body("accepted", hasItem("zendesk:" + ids.get(i)))
                    .body("parked", hasItem("zendesk:" + ids.get(i)));
        }
        // Zendesk retrying a delivery: accepted again, kept once.
        post(payload(ids.get(0), types.get(0), ticketId, org, statuses.get(0)), SECRET, Instant.now()).statusCode(202);
        given().auth().oauth2(infra.token(Roles.ADMIN)).when().get("/api/v1/parked-events")
                .then().statusCode(200)
                .body("organizations.find { it.organizationId == '" + org + "' }.count", equalTo(3))
                .body("organizations.find { it.organizationId == '" + org + "' }.source", equalTo("zendesk"));

        // account-service gives the organisation to an account: the three go out under it, in the order they came.
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Parked Co","employees":120,"segment":"MARS","version":1,
                 "externalIds":{"zendesk":"%s"}}""".formatted(account, org));
        List<ConsumerRecord<String, String>> released = infra.awaitRecords(Topics.TICKETS_EVENTS, account, 3,
                Duration.ofSeconds(30));
        assertThat(released).extracting(r -> r.value().replaceAll(".*\"eventId\":\"zendesk:([^\"]+)\".*", "$1"))
                .containsExactlyElementsOf(ids);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .when().get("/api/v1/parked-events").then()
                .body("organizations.findAll { it.organizationId == '" + org + "' }", hasSize(0)));

        // From now on the organisation's events go straight to its account.
        String next = run + "-4";
        post(payload(next, "zen:event-type:ticket.status_changed", ticketId, org, "SOLVED"), SECRET, Instant.now())
                .statusCode(202).body("parked", nullValue());
        // (Read from the start of the topic: had a parked event gone out twice, the fourth record would be that copy.)
        assertThat(infra.awaitRecords(Topics.TICKETS_EVENTS, account, 4, Duration.ofSeconds(30)).get(3).value())
                .contains("zendesk:" + next, "\"accountId\":\"" + account + "\"");
    }

    @Test
    void forgedSignatureIsRefused() {
        String body = payload(UUID.randomUUID().toString(), "zen:event-type:ticket.created", "zd-1", MAPPED_ORG, "new");
        post(body, "not-the-secret", Instant.now())
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("does not match"));
    }

    @Test
    void bodyChangedAfterSigningIsRefused() {
        String body = payload(UUID.randomUUID().toString(), "zen:event-type:ticket.created", "zd-1", MAPPED_ORG, "new");
        String timestamp = Instant.now().toString();
        String signature = ZendeskSignatureVerifier.signBase64(SECRET, timestamp, body.getBytes(StandardCharsets.UTF_8));
        given().contentType(ContentType.JSON)
                .header("X-Zendesk-Webhook-Signature", signature)
                .header("X-Zendesk-Webhook-Signature-Timestamp", timestamp)
                .body(body.replace("\"new\"", "\"solved\"").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/webhooks/zendesk")
                .then().statusCode(401);
    }

    @Test
    void replayedRequestWithAnOldTimestampIsRefused() {
        String body = payload(UUID.randomUUID().toString(), "zen:event-type:ticket.created", "zd-1", MAPPED_ORG, "new");
        post(body, SECRET, Instant.now().minusSeconds(3600))
                .statusCode(401)
                .body("detail", containsString("away from now"));
    }

    @Test
    void unsignedRequestIsRefused() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/webhooks/zendesk")
                .then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void ticketWithoutOrganisationCannotBeAttributedAndSaysSo() {
        String body = payload(UUID.randomUUID().toString(), "zen:event-type:ticket.created", "zd-1", null, "new");
        post(body, SECRET, Instant.now())
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("detail.organization_id"));
    }

    @Test
    void nonTicketEventIsAcknowledgedAndIgnored() {
        String body = """
                {"type":"zen:event-type:user.active_changed","account_id":1,"id":"%s","time":"%s","detail":{"id":"5"}}
                """.formatted(UUID.randomUUID(), Instant.now());
        post(body, SECRET, Instant.now()).statusCode(200).body("ignored", containsString("not a ticket event"));
    }

    private ValidatableResponse post(String body, String secret, Instant signedAt) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String timestamp = signedAt.toString();
        return given().contentType(ContentType.JSON)
                .header("X-Zendesk-Webhook-Signature", ZendeskSignatureVerifier.signBase64(secret, timestamp, bytes))
                .header("X-Zendesk-Webhook-Signature-Timestamp", timestamp)
                .body(bytes)
                .when().post("/api/v1/webhooks/zendesk")
                .then();
    }

    /** A ticket event as Zendesk sends it: ids as strings, statuses upper case. */
    static String payload(String id, String type, String ticketId, String organizationId, String status) {
        Instant now = Instant.now();
        String org = organizationId == null ? "" : "\"organization_id\":\"" + organizationId + "\",";
        return """
                {"type":"%s","account_id":88888888,"id":"%s","time":"%s","zendesk_event_version":"2022-11-06",
                 "subject":"zen:ticket:%s",
                 "detail":{"id":"%s","status":"%s","priority":"URGENT","type":"INCIDENT","subject":"Cannot log in",%s
                           "requester_id":"501","assignee_id":"601","tags":["vip"],"via":{"channel":"web"},
                           "created_at":"%s","updated_at":"%s"},
                 "event":{"current":"%s","previous":"NEW"}}
                """.formatted(type, id, now, ticketId, ticketId, status, org, now.minusSeconds(600), now, status);
    }
}
