package io.beacon.engine.commands;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Commands from chat buttons, as a third-party producer would put them on ctas.commands: applied with
 * the API's rules (owner or team lead only), once per command id, and anything else set aside with a reason.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class CtaCommandTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void theOwnerSnoozesOnce_aStrangerIsRefused_andTheLeadCloses() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String team = "Team-" + run;
        String owner = "ana-" + run;
        String lead = "lead-" + run;
        String account = "acct-cmd-" + run;
        snapshot("acct-lead-" + run, lead, team, lead);
        snapshot(account, owner, team, lead);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, lead))
                .get("/api/v1/me").then().body("leads", hasItem(team)));
        String cta = given().auth().oauth2(infra.token(Roles.CSM, owner)).contentType(ContentType.JSON).body("""
                {"accountId":"%s","type":"RISK","reason":"champion left","priority":"HIGH"}""".formatted(account))
                .post("/api/v1/ctas").then().statusCode(201).extract().path("id");

        Instant until = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
        String snooze = command("c1-" + run, cta, "SNOOZE", until, owner);
        infra.send(Topics.CTAS_COMMANDS, cta, snooze);
        infra.send(Topics.CTAS_COMMANDS, cta, snooze); // a second click, the same command
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/ctas/" + cta).then().body("status", equalTo("SNOOZED"))
                .body("snoozedUntil", equalTo(until.toString())));

        infra.send(Topics.CTAS_COMMANDS, cta, command("c2-" + run, cta, "CLOSE_NOT_RELEVANT", null, "csm-stranger-" + run));
        List<ConsumerRecord<String, String>> refused = infra.awaitRecords(Topics.CTAS_COMMANDS_DLQ, cta, 1);
        assertThat(refused.get(0).value()).contains("c2-" + run);
        assertThat(new String(refused.get(0).headers().lastHeader("dead-letter-reason").value()))
                .contains("refused", "neither owns the CTA nor leads");

        infra.send(Topics.CTAS_COMMANDS, cta, command("c3-" + run, cta, "CLOSE_NOT_RELEVANT", null, lead));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/ctas/" + cta).then().body("status", equalTo("CLOSED"))
                .body("closeReason", equalTo("not relevant")));

        // Each change once, with who made it: snoozed by the owner (once), closed by the lead.
        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + account + "/cta-changes").then()
                .body("findAll { it.kind == 'SNOOZED' }.size()", equalTo(1))
                .body("find { it.kind == 'SNOOZED' }.actor", equalTo(owner))
                .body("find { it.kind == 'CLOSED' }.actor", equalTo(lead));
    }

    @Test
    void aRecordThatIsNotAUsableCommandIsSetAsideWithTheFieldNamed() {
        String cta = "cta-" + UUID.randomUUID();
        infra.send(Topics.CTAS_COMMANDS, cta, """
                {"commandId":"bad-%s","ctaId":"%s","action":"SNOOZE","via":"slack"}""".formatted(cta, cta));
        ConsumerRecord<String, String> dead = infra.awaitRecords(Topics.CTAS_COMMANDS_DLQ, cta, 1).get(0);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value())).contains("actor", "until");
    }

    private void snapshot(String account, String csm, String team, String lead) {
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test %s","employees":50,"segment":"MERCURY",
                 "csm":{"id":"%s","name":"CSM %s","email":"%s@example.com","team":"%s","teamLead":"%s"},"version":1}
                """.formatted(account, account, csm, csm, csm, team, lead));
    }

    private static String command(String id, String cta, String action, Instant until, String actor) {
        return """
                {"commandId":"%s","ctaId":"%s","action":"%s",%s"actor":"%s","via":"slack","requestedAt":"%s"}"""
                .formatted(id, cta, action, until == null ? "" : "\"until\":\"" + until + "\",", actor, Instant.now());
    }
}
