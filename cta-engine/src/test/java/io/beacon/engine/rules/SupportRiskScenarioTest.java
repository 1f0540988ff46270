package io.beacon.engine.rules;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.platform.outbox.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * The default support-risk rule, end to end through Kafka and PostgreSQL: ticket events in on
 * tickets.events, CTAs out on the API and on ctas.events.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class SupportRiskScenarioTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ObjectMapper json;

    @Inject
    OutboxRelay relay;

    @Test
    void fifthOpenTicketOpensOneCtaSixthUpdatesItAndItClosesWhenTicketsDropToTwo() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        List<String> stream = new ArrayList<>();
        snapshot(account, 250, "csm-dana", 1);
        for (int i = 1; i <= 4; i++) {
            stream.add(send(account, "t" + i, "open", i));
        }
        awaitTickets(account, 4);
        ctas(account).body("$", hasSize(0));

        stream.add(send(account, "t5", "open", 5));
        awaitCta(account).body("[0].status", equalTo("OPEN"))
                .body("[0].type", equalTo("RISK"))
                .body("[0].reason", equalTo("support-risk"))
                .body("[0].ownerCsmId", equalTo("csm-dana"))
                .body("[0].ruleset", equalTo("default"))
                .body("[0].rulesetVersion", equalTo(1))
                .body("[0].rule", equalTo("SupportRisk"))
                .body("[0].explanation.openTickets", equalTo(5))
                .body("[0].explanation.threshold", equalTo(5))
                .body("[0].explanation.segment", equalTo("MARS"))
                .body("[0].explanation.ticketIds", hasSize(5));

        stream.add(send(account, "t6", "open", 6));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(account).body("$", hasSize(1))
                .body("[0].explanation.openTickets", equalTo(6)));

        // Hysteresis: 3 open tickets is below the raising threshold but above the closing one. One
        // event at a time, so each state is evaluated (events that arrive together are evaluated once).
        for (int i = 1; i <= 3; i++) {
            stream.add(send(account, "t" + i, "solved", 10 + i));
            awaitOpenTickets(account, 6 - i);
        }
        ctas(account).body("[0].status", equalTo("OPEN"));

        stream.add(send(account, "t4", "solved", 20));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(account).body("$", hasSize(1))
                .body("[0].status", equalTo("CLOSED"))
                .body("[0].closeReason", equalTo("condition cleared"))
                .body("[0].rule", equalTo("SupportRiskCleared")));

        List<CtaEvent> events = ctaEvents(account, 4);
        assertThat(events).extracting(CtaEvent::kind).containsExactly(CtaEvent.Kind.OPENED, CtaEvent.Kind.UPDATED,
                CtaEvent.Kind.UPDATED, CtaEvent.Kind.CLOSED);
        assertThat(events).extracting(CtaEvent::ctaId).containsOnly(events.get(0).ctaId());
        assertThat(events.get(0).rule().rule()).isEqualTo("SupportRisk");

        // The whole stream delivered again changes nothing and publishes nothing.
        for (String record : stream) {
            infra.send(Topics.TICKETS_EVENTS, account, record);
        }
        send(account, "marker", "solved", 30);
        awaitTickets(account, 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.pending() == 0);
        ctas(account).body("$", hasSize(1)).body("[0].status", equalTo("CLOSED"));
        assertThat(infra.awaitRecords(Topics.CTAS_EVENTS, account, 4)).hasSize(4);
    }

    @Test
    void ticketsThatArriveBeforeTheirAccountAreEvaluatedWhenItArrives() {
        String account = "acct-" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            send(account, "t" + i, "open", i);
        }
        awaitTickets(account, 5);
        ctas(account).body("$", hasSize(0));

        snapshot(account, 5000, "csm-jo", 1);
        awaitCta(account).body("[0].explanation.segment", equalTo("JUPITER")).body("[0].ownerCsmId", equalTo("csm-jo"));
    }

    @Test
    void aCsmSeesOnlyTheirOwnCtas() {
        String account = "acct-" + UUID.randomUUID();
        String owner = "csm-" + UUID.randomUUID();
        snapshot(account, 20, owner, 1);
        for (int i = 1; i <= 5; i++) {
            send(account, "t" + i, "open", i);
        }
        awaitCta(account);
        given().auth().oauth2(infra.token(Roles.CSM, owner)).get("/api/v1/ctas").then().statusCode(200)
                .body("accountId", org.hamcrest.Matchers.hasItem(account));
        given().auth().oauth2(infra.token(Roles.CSM, "someone-else")).queryParam("owner", owner).get("/api/v1/ctas")
                .then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/ctas").then().statusCode(401);
    }

    private void snapshot(String account, int employees, String csm, long version) {
        String segment = employees >= 3000 ? "JUPITER" : employees >= 400 ? "VENUS" : employees >= 100 ? "MARS" : "MERCURY";
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test","employees":%d,"segment":"%s",
                 "csm":{"id":"%s","name":"CSM","email":"c@example.com","team":"T"},"version":%d}
                """.formatted(account, employees, segment, csm, version));
    }

    private String send(String account, String ticket, String status, int minute) {
        Instant at = T0.plusSeconds(60L * minute);
        String record = """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"%s","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), at, account, ticket, status, T0, at);
        infra.send(Topics.TICKETS_EVENTS, account, record);
        return record;
    }

    private ValidatableResponse ctas(String account) {
        return given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("accountId", account)
                .get("/api/v1/ctas").then().statusCode(200);
    }

    private ValidatableResponse awaitCta(String account) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(account).body("$", hasSize(1)));
        return ctas(account);
    }

    private void awaitTickets(String account, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/accounts/" + account + "/tickets").then().body("$", hasSize(count)));
    }

    private void awaitOpenTickets(String account, int open) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/accounts/" + account + "/tickets").then().extract().<List<String>>path("status"))
                .filteredOn("open"::equals).hasSize(open));
    }

    private List<CtaEvent> ctaEvents(String account, int count) throws Exception {
        List<CtaEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : infra.awaitRecords(Topics.CTAS_EVENTS, account, count)) {
            events.add(json.readValue(r.value(), CtaEvent.class));
        }
        return events;
    }
}
