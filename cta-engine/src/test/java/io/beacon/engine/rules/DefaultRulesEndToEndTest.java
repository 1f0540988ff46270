package io.beacon.engine.rules;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.engine.evaluation.ReevaluationJob;
import io.beacon.localstack.testing.TestClock;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * Every default rule besides support risk (see {@link SupportRiskScenarioTest}), end to end: ticket
 * events published on tickets.events, account snapshots on accounts.snapshots, and the CTA read back
 * from the API and from ctas.events.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class DefaultRulesEndToEndTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ObjectMapper json;

    @Inject
    ReevaluationJob job;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    @Test
    void anUrgentTicketEscalatesOnJupiterAndVenusButNotOnMarsAndClearsWhenSolved() throws Exception {
        String jupiter = account(5000, null);
        String mars = account(250, null);
        Instant now = Instant.now();
        send(jupiter, "u1", "open", "urgent", now.minusSeconds(600), now.minusSeconds(60), null);
        send(mars, "u1", "open", "urgent", now.minusSeconds(600), now.minusSeconds(60), null);

        awaitCta(jupiter, "urgent-ticket").body("[0].escalated", equalTo(true))
                .body("[0].priority", equalTo("CRITICAL"))
                .body("[0].rule", equalTo("UrgentTicketEscalation"))
                .body("[0].explanation.segment", equalTo("JUPITER"));
        assertThat(kinds(jupiter, 1)).containsExactly(CtaEvent.Kind.ESCALATED);
        awaitTickets(mars, 1);
        ctas(mars).body("$", hasSize(0));

        send(jupiter, "u1", "solved", "urgent", now.minusSeconds(600), now, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(jupiter)
                .body("[0].status", equalTo("CLOSED")).body("[0].closeReason", equalTo("condition cleared")));
        assertThat(kinds(jupiter, 2)).containsExactly(CtaEvent.Kind.ESCALATED, CtaEvent.Kind.CLOSED);
    }

    @Test
    void aTicketReopenedThreeTimesRaisesAReopenedTicketCta() throws Exception {
        String account = account(50, null);
        Instant created = Instant.now().minus(Duration.ofDays(3));
        String[] statuses = { "open", "solved", "open", "solved", "open", "solved", "open" };
        for (int i = 0; i < statuses.length; i++) {
            send(account, "r1", statuses[i], "normal", created, created.plus(Duration.ofHours(i + 1)), null);
        }
        awaitCta(account, "reopened-ticket").body("[0].type", equalTo("RISK"))
                .body("[0].rule", equalTo("TicketReopenedRepeatedly"))
                .body("[0].status", equalTo("OPEN"));
        assertThat(kinds(account, 1)).containsExactly(CtaEvent.Kind.OPENED);
    }

    @Test
    void anSlaBreachRaisesACtaUntilTheTicketIsSolved() throws Exception {
        String account = account(250, null);
        Instant created = Instant.now().minus(Duration.ofDays(2));
        send(account, "s1", "open", "normal", created, created.plusSeconds(60), null);
        send(account, "s1", "open", "normal", created, created.plusSeconds(120), "sla_breached");

        awaitCta(account, "sla-breach").body("[0].explanation.openSlaBreached", equalTo(1))
                .body("[0].priority", equalTo("HIGH"));
        send(account, "s1", "solved", "normal", created, created.plusSeconds(180), null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(account).body("[0].status", equalTo("CLOSED")));
        assertThat(kinds(account, 2)).containsExactly(CtaEvent.Kind.OPENED, CtaEvent.Kind.CLOSED);
    }

    @Test
    void aSurgeOverTheThirtyDayAverageRaisesATicketSurgeCta() throws Exception {
        String account = account(50, null);
        Instant now = Instant.now();
        // Baseline: two tickets in the last month, long solved.
        send(account, "old-1", "solved", "normal", now.minus(Duration.ofDays(20)), now.minus(Duration.ofDays(19)), null);
        send(account, "old-2", "solved", "normal", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(9)), null);
        awaitTickets(account, 2);
        ctas(account).body("$", hasSize(0));
        // Three new tickets today (MERCURY's surge.minimum is 3): 3 in 24 h against 5/30 a day.
        for (int i = 1; i <= 3; i++) {
            send(account, "new-" + i, "new", "normal", now.minus(Duration.ofHours(i)), now.minus(Duration.ofMinutes(i)), null);
        }
        awaitCta(account, "ticket-surge").body("[0].rule", equalTo("TicketSurge"));
        assertThat(kinds(account, 1)).containsExactly(CtaEvent.Kind.OPENED);
    }

    @Test
    void aRenewalWithinNinetyDaysWithHighTicketsOpenEscalates() throws Exception {
        String account = account(1200, LocalDate.now(ZoneOffset.UTC).plusDays(40));
        String calm = account(1200, LocalDate.now(ZoneOffset.UTC).plusDays(200));
        Instant now = Instant.now();
        send(account, "h1", "open", "high", now.minus(Duration.ofDays(1)), now.minusSeconds(60), null);
        send(calm, "h1", "open", "high", now.minus(Duration.ofDays(1)), now.minusSeconds(60), null);

        awaitCta(account, "renewal-at-risk").body("[0].escalated", equalTo(true))
                .body("[0].explanation.daysToRenewal", org.hamcrest.Matchers.anyOf(equalTo(39), equalTo(40)))
                .body("[0].explanation.openHighOrUrgent", equalTo(1));
        assertThat(kinds(account, 1)).containsExactly(CtaEvent.Kind.ESCALATED);
        awaitTickets(calm, 1);
        ctas(calm).body("$", hasSize(0));
    }

    @Test
    void aSupportRiskCtaOpenForFourteenDaysEscalatesOnTheSchedule() throws Exception {
        String account = account(250, null);
        Instant created = Instant.now().minus(Duration.ofDays(1));
        for (int i = 1; i <= 5; i++) {
            send(account, "a" + i, "open", "normal", created, created.plusSeconds(i), null);
        }
        awaitCta(account, "support-risk").body("[0].escalated", equalTo(false));

        TestClock.INSTANCE.advance(Duration.ofDays(15));
        job.run();
        ctas(account).body("$", hasSize(1)).body("[0].escalated", equalTo(true))
                .body("[0].rule", equalTo("SupportRiskAging"));
        assertThat(kinds(account, 2)).containsExactly(CtaEvent.Kind.OPENED, CtaEvent.Kind.ESCALATED);
    }

    // ------------------------------------------------------------------ helpers

    private String account(int employees, LocalDate renewal) {
        String account = "acct-" + UUID.randomUUID();
        String segment = employees >= 3000 ? "JUPITER" : employees >= 400 ? "VENUS" : employees >= 100 ? "MARS" : "MERCURY";
        String renewalField = renewal == null ? "" : ",\"renewalDate\":\"" + renewal + "\"";
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test","employees":%d,"segment":"%s",
                 "csm":{"id":"csm-rules","name":"CSM","email":"c@example.com","team":"T"}%s,"version":1}
                """.formatted(account, employees, segment, renewalField));
        return account;
    }

    private void send(String account, String ticket, String status, String priority, Instant created, Instant updated,
            String type) {
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"%s","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"%s","priority":"%s","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), type == null ? "updated" : type, updated, account, ticket, status,
                priority, created, updated));
    }

    private ValidatableResponse ctas(String account) {
        return given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("accountId", account)
                .get("/api/v1/ctas").then().statusCode(200);
    }

    /** Waits for the account's only CTA and checks it is the one with that reason. */
    private ValidatableResponse awaitCta(String account, String reason) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(account).body("$", hasSize(1)));
        return ctas(account).body("[0].reason", equalTo(reason)).body("[0].ownerCsmId", equalTo("csm-rules"))
                .body("[0].ruleset", equalTo("default"));
    }

    private void awaitTickets(String account, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/accounts/" + account + "/tickets").then().body("$", hasSize(count)));
    }

    private List<CtaEvent.Kind> kinds(String account, int count) throws Exception {
        List<CtaEvent.Kind> kinds = new ArrayList<>();
        for (ConsumerRecord<String, String> r : infra.awaitRecords(Topics.CTAS_EVENTS, account, count)) {
            kinds.add(json.readValue(r.value(), CtaEvent.class).kind());
        }
        return kinds;
    }
}
