package io.beacon.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class BatchIngestTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void oneBadEventDoesNotSinkTheGoodOnes() {
        String account = "acct-" + UUID.randomUUID();
        String good1 = "g1-" + account;
        String good2 = "g2-" + account;
        String batch = "[" + TicketEventResourceTest.event(good1, account, "open") + ","
                + TicketEventResourceTest.event("bad-" + account, account, "escalated") + ","
                + "{\"eventId\":\"nothing-else-" + account + "\"},"
                + TicketEventResourceTest.event(good2, account, "pending") + "]";

        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON).body(batch)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(202)
                .body("accepted", contains(good1, good2))
                .body("rejected.index", contains(1, 2))
                .body("rejected[0].eventId", equalTo("bad-" + account))
                .body("rejected[0].errors[0].field", equalTo("ticket.status"))
                .body("rejected[1].errors.field", hasItem("accountId"));

        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.TICKETS_EVENTS, account, 2);
        assertThat(records).extracting(ConsumerRecord::value)
                .anySatisfy(v -> assertThat(v).contains(good1))
                .anySatisfy(v -> assertThat(v).contains(good2))
                .noneSatisfy(v -> assertThat(v).contains("bad-" + account));
    }

    @Test
    void aThousandEventsAreAcceptedInOneRequest() {
        String account = "acct-" + UUID.randomUUID();
        String batch = IntStream.range(0, 1000)
                .mapToObj(i -> TicketEventResourceTest.event("e" + i + "-" + account, account, "open"))
                .collect(Collectors.joining(",", "[", "]"));

        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON).body(batch)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(202)
                .body("accepted.size()", equalTo(1000))
                .body("rejected.size()", equalTo(0));

        assertThat(infra.awaitRecords(Topics.TICKETS_EVENTS, account, 1000, Duration.ofSeconds(60))).hasSize(1000);
    }

    @Test
    void batchWithNoValidEventIsRefusedWithEachEventsErrorsIndexed() {
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON)
                .body("[{\"eventId\":\"x\"}, 42]")
                .when().post("/api/v1/ticket-events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("None of the 2 events is valid"))
                .body("errors.field", hasItem("[0].accountId"))
                .body("errors.field", hasItem("[1]"));
    }

    @Test
    void batchOverTheLimitIsRefusedAsTooLarge() {
        String account = "acct-" + UUID.randomUUID();
        String batch = IntStream.range(0, 1001)
                .mapToObj(i -> TicketEventResourceTest.event("e" + i, account, "open"))
                .collect(Collectors.joining(",", "[", "]"));
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON).body(batch)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("at most 1000"));
    }
}
