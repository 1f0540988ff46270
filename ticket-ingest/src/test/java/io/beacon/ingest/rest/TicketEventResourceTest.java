package io.beacon.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.platform.kafka.CloudEventRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class TicketEventResourceTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void acceptedEventLandsOnTicketsTopicKeyedByAccountWithCloudEventHeaders() {
        String account = "acct-" + UUID.randomUUID();
        String eventId = "evt-" + UUID.randomUUID();

        given().auth().oauth2(infra.token(Roles.INGEST))
                .contentType(ContentType.JSON)
                .body(event(eventId, account, "Open"))
                .when().post("/api/v1/ticket-events")
                .then().statusCode(202)
                .body("accepted", hasItem(eventId));

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.TICKETS_EVENTS, account, 1);
        ConsumerRecord<String, String> record = records.get(0);
        assertThat(record.value()).contains("\"eventId\":\"" + eventId + "\"", "\"status\":\"open\"");
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.ID)).isEqualTo(eventId);
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE))
                .isEqualTo(CloudEventHeaders.TYPE_TICKET_EVENT);
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.SOURCE))
                .isEqualTo("/beacon/ticket-ingest/zendesk");
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.SUBJECT)).isEqualTo("T-1");
    }

    @Test
    void eventWithMissingFieldsIsRefusedWithEachFieldNamedAndRecorded() {
        String account = "acct-" + UUID.randomUUID();

        given().auth().oauth2(infra.token(Roles.INGEST))
                .contentType(ContentType.JSON)
                .body("{\"eventId\":\"\",\"source\":\"api\",\"accountId\":\"" + account + "\"}")
                .when().post("/api/v1/ticket-events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem("eventId"))
                .body("errors.field", hasItem("ticket"))
                .body("errors.field", hasItem("occurredAt"));

        given().auth().oauth2(infra.token(Roles.ADMIN))
                .when().get("/api/v1/rejections?limit=500")
                .then().statusCode(200)
                .body("find { it.accountId == '" + account + "' }.reason", containsString("eventId is required"));
    }

    @Test
    void unknownStatusIsRefusedWithTheAllowedValues() {
        given().auth().oauth2(infra.token(Roles.INGEST))
                .contentType(ContentType.JSON)
                .body(event("evt-" + UUID.randomUUID(), "acct-" + UUID.randomUUID(), "escalated"))
                .when().post("/api/v1/ticket-events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("ticket.status"))
                .body("detail", containsString("new, open, pending, hold, solved, closed"));
    }

    @Test
    void malformedJsonIsRefusedAsProblem() {
        given().auth().oauth2(infra.token(Roles.INGEST))
                .contentType(ContentType.JSON)
                .body("{\"eventId\": \"e-1\", ")
                .when().post("/api/v1/ticket-events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void eventFromTheFutureIsRefused() {
        String future = Instant.now().plusSeconds(3600).toString();
        String body = event("evt-" + UUID.randomUUID(), "acct-" + UUID.randomUUID(), "open")
                .replaceFirst("\"occurredAt\":\"[^\"]+\"", "\"occurredAt\":\"" + future + "\"");
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("occurredAt"))
                .body("errors[0].message", containsString("lies in the future"));
    }

    @Test
    void bodyOverTheSizeLimitIsRefusedBeforeItIsRead() {
        String huge = "[" + "x".repeat(6 * 1024 * 1024) + "]";
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON).body(huge)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("at most 5242880"));
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.XML).body("<event/>")
                .when().post("/api/v1/ticket-events")
                .then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void statusSpellingsAreNormalised() {
        String account = "acct-" + UUID.randomUUID();
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON)
                .body(event("evt-" + UUID.randomUUID(), account, "SOLVED"))
                .when().post("/api/v1/ticket-events")
                .then().statusCode(202);
        assertThat(infra.awaitRecords(Topics.TICKETS_EVENTS, account, 1).get(0).value()).contains("\"status\":\"solved\"");
    }

    @Test
    void valuesNoDatabaseCouldStoreAreRefusedNamingTheField() {
        String account = "acct-" + UUID.randomUUID();
        refused(event("nul-" + account, account, "open").replace("Export fails", "Export\\u0000fails"))
                .body("errors.field", hasItem("ticket.subject"))
                .body("detail", containsString("may not contain the NUL character"));
        refused(event("old-" + account, account, "open").replaceFirst("\"updatedAt\":\"[^\"]*\"",
                "\"updatedAt\":\"-5000-01-01T00:00:00Z\""))
                .body("errors.field", hasItem("ticket.updatedAt"));
        refused(event("x".repeat(201), account, "open")).body("errors.field", hasItem("eventId"));
        refused(event("sur-" + account, account, "open").replace("Export fails", "Export \\ud800"))
                .body("detail", containsString("unpaired surrogate"));
    }

    @Test
    void aBodyThatIsNotCleanJsonInUtf8IsRefusedNotRepaired() {
        String account = "acct-" + UUID.randomUUID();
        byte[] invalid = event("u-" + account, account, "open").replace("Export fails", "Export \u00ff fails")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON).body(invalid)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid UTF-8"));
        refused(event("t-" + account, account, "open") + " }{").body("detail", containsString("not valid JSON at line 4, column 2"));
        given().auth().oauth2(infra.token(Roles.INGEST)).body(event("n-" + account, account, "open").getBytes())
                .when().post("/api/v1/ticket-events")
                .then().statusCode(415).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("Content-Type"));
    }

    private io.restassured.response.ValidatableResponse refused(String body) {
        return given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(400).contentType("application/problem+json");
    }

    static String event(String eventId, String account, String status) {
        Instant now = Instant.now();
        return """
                {"eventId":"%s","source":"zendesk","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"T-1","status":"%s","priority":"high","type":"incident","subject":"Export fails",
                           "createdAt":"%s","updatedAt":"%s"}}
                """.formatted(eventId, now, account, status, now.minusSeconds(60), now);
    }
}
