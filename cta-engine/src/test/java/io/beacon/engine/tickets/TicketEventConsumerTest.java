package io.beacon.engine.tickets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.platform.kafka.CloudEventRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class TicketEventConsumerTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    DataSource dataSource;

    @Test
    void keepsTheNewestSnapshotIgnoringDuplicatesAndOlderEvents() {
        String account = "acct-" + UUID.randomUUID();
        infra.send(Topics.TICKETS_EVENTS, account, event("e1-" + account, account, "open", T0));
        awaitTicket(account, "open", "e1-" + account);

        // Redelivery of a known event id with other content changes nothing.
        infra.send(Topics.TICKETS_EVENTS, account, event("e1-" + account, account, "solved", T0.plusSeconds(60)));
        // An older snapshot arriving late changes nothing.
        infra.send(Topics.TICKETS_EVENTS, account, event("e0-" + account, account, "new", T0.minusSeconds(60)));
        // A newer snapshot wins; it is sent last, so once it shows, the two before were processed.
        infra.send(Topics.TICKETS_EVENTS, account, event("e2-" + account, account, "pending", T0.plusSeconds(120)));

        awaitTicket(account, "pending", "e2-" + account);
        given().auth().oauth2(infra.token(Roles.EXEC))
                .when().get("/api/v1/accounts/" + account + "/tickets")
                .then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].updatedAt", equalTo(T0.plusSeconds(120).toString()));
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicWithItsReasonAndTheStreamContinues() {
        String account = "acct-" + UUID.randomUUID();
        infra.send(Topics.TICKETS_EVENTS, account, "this is not json");
        infra.send(Topics.TICKETS_EVENTS, account, "{\"eventId\":\"x-" + account + "\",\"accountId\":\"" + account + "\"}");
        infra.send(Topics.TICKETS_EVENTS, account, event("ok-" + account, account, "open", T0));

        awaitTicket(account, "open", "ok-" + account);
        List<ConsumerRecord<String, String>> dead = infra.awaitRecords(Topics.TICKETS_EVENTS_DLQ, account, 2);
        assertThat(dead.get(0).value()).isEqualTo("this is not json");
        assertThat(CloudEventRecords.header(dead.get(0).headers(), "dead-letter-reason"))
                .contains("Unrecognized token 'this'");
        assertThat(CloudEventRecords.header(dead.get(1).headers(), "dead-letter-reason"))
                .contains("not a valid ticket event: source is required");
    }

    @Test
    void recordsTheDatabaseWouldRefuseAreDeadLetteredWithTheFieldAndTheEventsBehindThemProcessed() {
        String account = "acct-" + UUID.randomUUID();
        infra.send(Topics.TICKETS_EVENTS, account, event("nul-" + account, account, "open", T0)
                .replace("\"priority\"", "\"subject\":\"a\\u0000b\",\"priority\""));
        infra.send(Topics.TICKETS_EVENTS, account, event("old-" + account, account, "open",
                Instant.parse("-5000-01-01T00:00:00Z")));
        infra.send(Topics.TICKETS_EVENTS, account, event("x".repeat(300), account, "open", T0));
        infra.send(Topics.TICKETS_EVENTS, account, event("other-" + account, "acct-someone-else", "open", T0));
        infra.send(Topics.TICKETS_EVENTS, account, event("ok-" + account, account, "open", T0));

        awaitTicket(account, "open", "ok-" + account);
        List<String> reasons = infra.awaitRecords(Topics.TICKETS_EVENTS_DLQ, account, 4).stream()
                .map(r -> CloudEventRecords.header(r.headers(), "dead-letter-reason")).toList();
        assertThat(reasons).satisfiesExactlyInAnyOrder(
                r -> assertThat(r).contains("ticket.subject may not contain the NUL character"),
                r -> assertThat(r).contains("ticket.updatedAt must lie between 1970-01-01T00:00:00Z"),
                r -> assertThat(r).contains("eventId must be at most 200 characters"),
                r -> assertThat(r).contains("is not the ticket event's accountId"));
    }

    @Test
    void anEventTheDatabaseRefusesForGoodIsIsolatedFromItsBatchAndTheOthersAreStored() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        // A value the contract allows but this database refuses, as a stand-in for whatever a future
        // schema or a damaged database may refuse: the engine must not retry it forever.
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger AS $$
                    BEGIN
                      IF NEW.subject = 'poison' THEN RAISE EXCEPTION 'poison refused' USING ERRCODE = '22023'; END IF;
                      RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            statement.execute("DROP TRIGGER IF EXISTS refuse_poison ON ticket");
            statement.execute("CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON ticket FOR EACH ROW "
                    + "EXECUTE FUNCTION refuse_poison()");
        }
        try {
            infra.send(Topics.TICKETS_EVENTS, account, event("before-" + account, account, "open", T0));
            // Another ticket: a batch writes each ticket's final state once, so the poison must be the last word
            // on its own ticket.
            infra.send(Topics.TICKETS_EVENTS, account, event("poison-" + account, account, "pending", T0.plusSeconds(60))
                    .replace("\"id\":\"T-1\"", "\"id\":\"T-2\"")
                    .replace("\"priority\"", "\"subject\":\"poison\",\"priority\""));
            infra.send(Topics.TICKETS_EVENTS, account, event("after-" + account, account, "hold", T0.plusSeconds(120)));

            awaitTicket(account, "hold", "after-" + account);
            List<ConsumerRecord<String, String>> dead = infra.awaitRecords(Topics.TICKETS_EVENTS_DLQ, account, 1);
            assertThat(dead.get(0).value()).contains("poison-" + account);
            assertThat(CloudEventRecords.header(dead.get(0).headers(), "dead-letter-reason"))
                    .contains("the database refused the event").contains("poison refused");
        } finally {
            try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
                statement.execute("DROP TRIGGER IF EXISTS refuse_poison ON ticket");
            }
        }
    }

    @Test
    void ticketStateNeedsAReadRole() {
        given().when().get("/api/v1/accounts/x/tickets").then().statusCode(401);
        given().auth().oauth2(infra.token(Roles.INGEST))
                .when().get("/api/v1/accounts/x/tickets").then().statusCode(403);
    }

    private void awaitTicket(String account, String status, String lastEventId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .when().get("/api/v1/accounts/" + account + "/tickets")
                .then().statusCode(200)
                .body("[0].status", equalTo(status))
                .body("[0].lastEventId", equalTo(lastEventId)));
    }

    static String event(String eventId, String account, String status, Instant updatedAt) {
        return """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"T-1","status":"%s","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(eventId, updatedAt, account, status, T0.minusSeconds(3600), updatedAt);
    }
}
