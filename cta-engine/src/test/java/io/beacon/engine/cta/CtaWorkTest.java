package io.beacon.engine.cta;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import io.restassured.response.ValidatableResponse;

/**
 * A CSM's work on CTAs beyond snooze and close: playbook tasks, notes, reassignment (audited, only to
 * known CSMs, then the new owner's), manual CTAs that rules leave alone, bulk actions, a lead's team
 * view, and people whose identity provider names them differently found by e-mail.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class CtaWorkTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    /** A team of three: a lead and two CSMs, each with one account, known to the engine from the snapshots. */
    record Team(String name, String lead, String ana, String ben, String leadAccount, String anaAccount, String benAccount) {
    }

    @Test
    void aCtaOpensWithItsPlaybookAndTheCsmTicksTasksWritesANoteAndGivesItToAColleague() {
        Team team = team();
        String cta = supportRisk(team.anaAccount());
        String ana = infra.token(Roles.CSM, team.ana());

        ValidatableResponse work = given().auth().oauth2(ana).get("/api/v1/ctas/" + cta + "/work").then().statusCode(200)
                .body("playbook", equalTo("support-risk")).body("tasks", hasSize(4))
                .body("tasks[0].title", equalTo("Review the open tickets with the support lead"));
        Instant opened = Instant.parse(given().auth().oauth2(ana).get("/api/v1/ctas/" + cta).then().extract().path("openedAt"));
        assertThat(Instant.parse(work.extract().<String> path("tasks[1].dueAt"))).isEqualTo(opened.plus(Duration.ofDays(2)));

        for (int position : new int[] { 1, 2 }) {
            given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"done\":true}")
                    .post("/api/v1/ctas/" + cta + "/tasks/" + position).then().statusCode(200)
                    .body("doneBy", equalTo(team.ana())).body("doneAt", notNullValue());
        }
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"done\":true}")
                .post("/api/v1/ctas/" + cta + "/tasks/9").then().statusCode(404);
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"done\":\"maybe\"}")
                .post("/api/v1/ctas/" + cta + "/tasks/1").then().statusCode(400);
        given().auth().oauth2(ana).get("/api/v1/ctas/" + cta).then().body("tasks", equalTo(4)).body("tasksDone", equalTo(2));

        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"body\":\"Customer is on holiday until Monday.\"}")
                .post("/api/v1/ctas/" + cta + "/notes").then().statusCode(201).body("author", equalTo(team.ana()));
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"body\":\"\"}")
                .post("/api/v1/ctas/" + cta + "/notes").then().statusCode(400).body("errors[0].field", equalTo("body"));

        // Only to a CSM the engine knows, and not to the one who has it.
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"to\":\"csm-nobody\"}")
                .post("/api/v1/ctas/" + cta + "/reassign").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"to\":\"" + team.ana() + "\"}")
                .post("/api/v1/ctas/" + cta + "/reassign").then().statusCode(409);
        given().auth().oauth2(ana).contentType(ContentType.JSON)
                .body("{\"to\":\"" + team.ben() + "\",\"comment\":\"Ben knows their admin\"}")
                .post("/api/v1/ctas/" + cta + "/reassign").then().statusCode(200).body("ownerCsmId", equalTo(team.ben()));

        // Ana no longer sees it; Ben does, with the tasks, the note and the audit.
        given().auth().oauth2(ana).get("/api/v1/ctas/" + cta).then().statusCode(404);
        String ben = infra.token(Roles.CSM, team.ben());
        given().auth().oauth2(ben).get("/api/v1/ctas").then().body("id", hasItem(cta));
        given().auth().oauth2(ben).get("/api/v1/ctas/" + cta + "/work").then().statusCode(200)
                .body("tasks.findAll { it.doneAt != null }.position", contains(1, 2))
                .body("notes.body", contains("Customer is on holiday until Monday."))
                .body("assignments[0].from", equalTo(team.ana())).body("assignments[0].to", equalTo(team.ben()))
                .body("assignments[0].actor", equalTo(team.ana())).body("assignments[0].comment", equalTo("Ben knows their admin"));

        // The account page's history: every change, newest first, with who made it or the rule and version.
        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + team.anaAccount() + "/cta-changes").then()
                .statusCode(200).body("kind", contains("REASSIGNED", "OPENED"))
                .body("[0].actor", equalTo(team.ana())).body("[0].ownerCsmId", equalTo(team.ben()))
                .body("[1].actor", org.hamcrest.Matchers.nullValue()).body("[1].rule", equalTo("SupportRisk"))
                .body("[1].rulesetVersion", equalTo(given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/ctas/" + cta)
                        .then().extract().<Integer> path("rulesetVersion")))
                .body("[1].explanation.openTickets", equalTo(5))
                .body("[1].reason", equalTo("support-risk"));
        // Ana no longer owns it, so its history is not hers to read; Ben's it is.
        given().auth().oauth2(ana).get("/api/v1/accounts/" + team.anaAccount() + "/cta-changes").then().body("$", hasSize(0));
        given().auth().oauth2(infra.token(Roles.CSM, team.ben())).get("/api/v1/accounts/" + team.anaAccount() + "/cta-changes")
                .then().body("$", hasSize(2));
        // Tickets say which desk they came from, for the link to it.
        given().auth().oauth2(ana).get("/api/v1/accounts/" + team.anaAccount() + "/tickets").then()
                .body("source", org.hamcrest.Matchers.everyItem(equalTo("api")));

        List<ConsumerRecord<String, String>> events = infra.awaitRecords(Topics.CTAS_EVENTS, team.anaAccount(), 2);
        assertThat(events.get(1).value()).contains("\"kind\":\"REASSIGNED\"").contains("\"ownerCsmId\":\"" + team.ben() + "\"")
                .contains("\"actor\":\"" + team.ana() + "\"");
    }

    @Test
    void aManualCtaIsTheCsmsAndRulesNeverClearIt() {
        Team team = team();
        String ana = infra.token(Roles.CSM, team.ana());
        String due = Instant.now().plus(Duration.ofDays(3)).toString();
        String id = given().auth().oauth2(ana).contentType(ContentType.JSON).body("""
                {"accountId":"%s","type":"RISK","reason":"champion left","priority":"HIGH","dueAt":"%s",
                 "note":"Their VP of support resigned."}""".formatted(team.anaAccount(), due))
                .post("/api/v1/ctas").then().statusCode(201).body("origin", equalTo("MANUAL"))
                .body("ownerCsmId", equalTo(team.ana())).body("ruleset", equalTo("manual"))
                .body("playbook", equalTo("risk-manual")).body("tasks", equalTo(2)).extract().path("id");
        given().auth().oauth2(ana).get("/api/v1/ctas/" + id + "/work").then()
                .body("notes[0].body", equalTo("Their VP of support resigned."));

        // Refused: another team's account, an unknown account, a due date in the past, a missing type.
        Team other = team();
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("""
                {"accountId":"%s","type":"RISK","reason":"x","priority":"LOW"}""".formatted(other.anaAccount()))
                .post("/api/v1/ctas").then().statusCode(400).body("errors[0].field", equalTo("accountId"));
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("""
                {"accountId":"acct-none","type":"RISK","reason":"x","priority":"LOW"}""")
                .post("/api/v1/ctas").then().statusCode(400).body("errors[0].field", equalTo("accountId"));
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("""
                {"accountId":"%s","type":"RISK","reason":"x","priority":"LOW","dueAt":"2020-01-01T00:00:00Z"}"""
                .formatted(team.anaAccount())).post("/api/v1/ctas").then().statusCode(400)
                .body("errors[0].field", equalTo("dueAt"));
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("""
                {"accountId":"%s","reason":"x","priority":"LOW"}""".formatted(team.anaAccount()))
                .post("/api/v1/ctas").then().statusCode(400);
        given().auth().oauth2(infra.token(Roles.EXEC)).contentType(ContentType.JSON).body("""
                {"accountId":"%s","type":"RISK","reason":"x","priority":"LOW"}""".formatted(team.anaAccount()))
                .post("/api/v1/ctas").then().statusCode(403);

        // Tickets come and go on the account: the rules raise and clear their own CTA, not the manual one.
        String rule = supportRisk(team.anaAccount());
        for (int i = 1; i <= 5; i++) {
            ticket(team.anaAccount(), "t" + i, "solved");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(ana).get("/api/v1/ctas/" + rule)
                .then().body("status", equalTo("CLOSED")));
        given().auth().oauth2(ana).get("/api/v1/ctas/" + id).then().body("status", equalTo("OPEN"));
    }

    @Test
    void aLeadSeesAndWorksTheTeamsCtasAndOthersDoNot() {
        Team team = team();
        String anaCta = supportRisk(team.anaAccount());
        String benCta = supportRisk(team.benAccount());
        String lead = infra.token(Roles.CSM, team.lead());

        given().auth().oauth2(lead).get("/api/v1/me").then().body("leads", contains(team.name()))
                .body("csmId", equalTo(team.lead()));
        given().auth().oauth2(lead).queryParam("team", team.name()).get("/api/v1/ctas").then().statusCode(200)
                .body("id", hasItem(anaCta)).body("id", hasItem(benCta));
        given().auth().oauth2(lead).get("/api/v1/ctas/" + anaCta).then().statusCode(200);
        given().auth().oauth2(lead).contentType(ContentType.JSON).body("{\"to\":\"" + team.ben() + "\"}")
                .post("/api/v1/ctas/" + anaCta + "/reassign").then().statusCode(200);

        // A CSM of the team is no lead: her own only, and asking for the team is refused by name.
        String ana = infra.token(Roles.CSM, team.ana());
        given().auth().oauth2(ana).queryParam("team", team.name()).get("/api/v1/ctas").then().statusCode(400)
                .body("errors[0].field", equalTo("team"));
        given().auth().oauth2(ana).get("/api/v1/ctas/" + benCta).then().statusCode(404);
        // Another team's lead sees none of it.
        Team other = team();
        given().auth().oauth2(infra.token(Roles.CSM, other.lead())).get("/api/v1/ctas/" + benCta).then().statusCode(404);
    }

    @Test
    void aPersonWhoseProviderNamesThemOtherwiseIsFoundByEmail() {
        Team team = team();
        String cta = supportRisk(team.anaAccount());
        String token = infra.tokens().issue(Roles.CSM, "ana-from-keycloak", Duration.ofMinutes(5),
                Map.of("email", team.ana().toUpperCase() + "@Example.com"));
        given().auth().oauth2(token).get("/api/v1/me").then().body("csmId", equalTo(team.ana()))
                .body("subject", equalTo("ana-from-keycloak"));
        given().auth().oauth2(token).get("/api/v1/ctas").then().body("id", contains(cta));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"body\":\"seen\"}")
                .post("/api/v1/ctas/" + cta + "/notes").then().statusCode(201).body("author", equalTo(team.ana()));
        // An e-mail no CSM has maps to nobody: the token's name stands, and it owns nothing.
        String stranger = infra.tokens().issue(Roles.CSM, "who", Duration.ofMinutes(5), Map.of("email", "who@example.com"));
        given().auth().oauth2(stranger).get("/api/v1/ctas").then().body("$", hasSize(0));
    }

    @Test
    void bulkActionsDoEachCtaOrSayWhyNot() {
        Team team = team();
        String first = supportRisk(team.anaAccount());
        String second = supportRisk(team.leadAccount());
        String ana = infra.token(Roles.CSM, team.ana());
        String until = Instant.now().plus(Duration.ofDays(2)).toString();
        given().auth().oauth2(ana).contentType(ContentType.JSON)
                .body("{\"ids\":[\"%s\",\"%s\",\"nope\"],\"action\":\"SNOOZE\",\"until\":\"%s\"}".formatted(first, second, until))
                .post("/api/v1/ctas/bulk").then().statusCode(200)
                .body("find { it.id == '%s' }.status".formatted(first), equalTo(200))
                .body("find { it.id == '%s' }.cta.status".formatted(first), equalTo("SNOOZED"))
                .body("find { it.id == '%s' }.status".formatted(second), equalTo(404))
                .body("find { it.id == 'nope' }.status", equalTo(404));
        given().auth().oauth2(ana).contentType(ContentType.JSON)
                .body("{\"ids\":[\"%s\"],\"action\":\"CLOSE\"}".formatted(first))
                .post("/api/v1/ctas/bulk").then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().auth().oauth2(ana).contentType(ContentType.JSON)
                .body("{\"ids\":[\"%s\"],\"action\":\"CLOSE\",\"reason\":\"DONE\",\"comment\":\"fixed\"}".formatted(first))
                .post("/api/v1/ctas/bulk").then().statusCode(200).body("[0].cta.status", equalTo("CLOSED"));
        given().auth().oauth2(ana).contentType(ContentType.JSON).body("{\"ids\":[],\"action\":\"CLOSE\",\"reason\":\"DONE\"}")
                .post("/api/v1/ctas/bulk").then().statusCode(400);
        given().auth().oauth2(ana).get("/api/v1/ctas/" + second).then().statusCode(404);
        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/ctas/" + second).then().body("status", not(equalTo("SNOOZED")));
    }

    private Team team() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String name = "Team-" + run;
        Team team = new Team(name, "lead-" + run, "ana-" + run, "ben-" + run, "acct-l-" + run, "acct-a-" + run, "acct-b-" + run);
        snapshot(team.leadAccount(), team.lead(), team);
        snapshot(team.anaAccount(), team.ana(), team);
        snapshot(team.benAccount(), team.ben(), team);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, team.lead()))
                .get("/api/v1/me").then().body("leads", contains(name)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/ctas/assignees").then().body("id", hasItem(team.ben())).body("id", hasItem(team.ana())));
        return team;
    }

    private void snapshot(String account, String csm, Team team) {
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test %s","employees":50,"segment":"MERCURY",
                 "csm":{"id":"%s","name":"CSM %s","email":"%s@example.com","team":"%s","teamLead":"%s"},"version":1}
                """.formatted(account, account, csm, csm, csm, team.name(), team.lead()));
    }

    /** Five open tickets: the support-risk CTA (with its playbook). */
    private String supportRisk(String account) {
        for (int i = 1; i <= 5; i++) {
            ticket(account, "t" + i, "open");
        }
        return await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .queryParam("accountId", account).queryParam("status", "OPEN").get("/api/v1/ctas").then().extract()
                .<List<Map<String, Object>>> path("findAll { it.origin == 'RULE' }"), l -> l.size() == 1).get(0).get("id").toString();
    }

    private void ticket(String account, String id, String status) {
        Instant now = Instant.now();
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"%s","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), now, account, id, status, now.minus(Duration.ofDays(40)), now));
    }
}
