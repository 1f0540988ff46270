package io.beacon.engine.rules;

import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;

/**
 * Ops change rules while the engine runs: every bad version is refused with a precise message while
 * the active one keeps serving; a good one is activated, followed by the next events, and rolled back.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class RulesetOperationsTest {

    private static final String RULESET = "default";
    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

    private static final String QUIET_AT_FOUR_ON_MARS = """
            {"description": "Four open tickets on a MARS account stay quiet",
             "account": {"segment": "MARS"}, "stats": {"openTickets": 4}, "expect": []}""";
    private static final String RAISES_AT_THREE_ON_MARS = """
            {"description": "Three open tickets on a MARS account raise support risk",
             "account": {"segment": "MARS"}, "stats": {"openTickets": 3},
             "expect": [{"kind": "RAISE", "type": "RISK", "reason": "support-risk", "rule": "SupportRisk"}]}""";

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ActiveRuleset active;

    @AfterEach
    void backToTheFirstVersion() {
        if (active.get().ruleset().version() != 1) {
            given().auth().oauth2(token()).contentType("application/json")
                    .body("{\"version\":1,\"comment\":\"test cleanup\"}")
                    .when().post("/api/v1/rulesets/" + RULESET + "/rollback").then().statusCode(200);
        }
    }

    @Test
    void brokenDrlIsRefusedWithFileLineAndColumn_andTheActiveVersionKeepsServing() {
        int before = active.get().ruleset().version();
        int draft = refusedDraft("""
                {"files": {"support-risk.drl": "package io.beacon.rules.support;\\nimport io.beacon.engine.rules.model.AccountStats;\\n\\nrule \\"Broken\\"\\nwhen\\n    AccountStats( openTickets >= )\\nthen\\nend\\n"},
                 "comment": "a typo"}""")
                .body("validation.ok", equalTo(false))
                .body("errors[0].field", containsString("support-risk.drl:6:"))
                .body("validation.errors[0].file", equalTo("support-risk.drl"))
                .body("validation.errors[0].line", equalTo(6))
                // The column the marker shows is the one the message states.
                .body("validation.errors[0].column", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .extract().path("version.version");
        given().auth().oauth2(token()).get("/api/v1/rulesets/" + RULESET + "/versions/" + draft).then()
                .body("validation.errors[0].message", containsString("6:" + given().auth().oauth2(token())
                        .get("/api/v1/rulesets/" + RULESET + "/versions/" + draft).then().extract()
                        .<Integer> path("validation.errors[0].column")));

        refused(draft).body("errors[0].field", containsString("support-risk.drl:6"));
        assertThat(active.get().ruleset().version()).isEqualTo(before);
        given().auth().oauth2(token()).when().get("/api/v1/rulesets/" + RULESET + "/audit")
                .then().body("findAll { it.version == " + draft + " }.action", hasItem("REFUSED"));
    }

    @Test
    void aRuleReachingForSystemOrFilesIsRefusedWithTheOffendingLine() {
        int draft = refusedDraft("""
                {"files": {"evil.drl": "package io.beacon.rules.evil;\\nimport java.io.File;\\nimport io.beacon.engine.rules.model.AccountStats;\\n\\nrule \\"Evil\\"\\nwhen\\n    AccountStats()\\nthen\\n    System.exit(1);\\nend\\n"},
                 "params": {}, "scenarios": {}}""")
                .body("validation.ok", equalTo(false))
                .extract().path("version.version");
        refused(draft)
                .body("report.errors.line", hasItem(2))
                .body("report.errors.line", hasItem(9))
                .body("report.errors.message", hasItem(containsString("import of java.io.File is not allowed")))
                .body("report.errors.message", hasItem(containsString("System is not something rules may use")));
    }

    @Test
    void aDraftWhoseRuleThrowsIsRefusedNamingRuleAndMessage_andNoInstanceIsHarmed() {
        String drl = "package io.beacon.rules.renewal;\nimport io.beacon.engine.rules.model.*;\n"
                + "global Decisions decisions;\nrule \"RenewalExplained\"\nwhen\n    $account : AccountFact()\nthen\n"
                + "    decisions.raise(\"RISK\", \"renewal\", drools.getRule().getName())\n"
                + "        .explain(\"renewal\", $account.getRenewalDate().toString());\nend\n";
        String scenario = """
                {"description": "An account without a renewal date", "account": {"segment": "MARS"},
                 "stats": {"openTickets": 1}, "expect": []}""";
        int draft = refusedDraft("""
                {"files": {"renewal.drl": %s}, "scenarios": {"no-renewal.json": %s}}"""
                .formatted(jsonString(drl), jsonString(scenario)))
                .body("errors.field", hasItem("scenarios/no-renewal.json"))
                .body("errors.message", hasItem(containsString("rule RenewalExplained threw NullPointerException")))
                .extract().path("version.version");

        // This instance also prepares the draft from rules.changes, as every instance does; the failure is
        // reported on the version and the consumer, health and the active version are untouched.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(token())
                .when().get("/api/v1/rulesets/" + RULESET + "/versions/" + draft)
                .then().statusCode(200).body("validation.ok", equalTo(false)));
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(active.get().ruleset().version()).isEqualTo(1);
    }

    @Test
    void draftsThatTryToRunCodeAreRefusedAndNothingOfThemRuns() throws Exception {
        java.nio.file.Path marker = java.nio.file.Files.createTempDirectory("beacon-guard").resolve("ran");
        String path = marker.toString();
        List<String> consequences = List.of(
                "new java.util.Formatter(\"" + path + "\");",
                "new java.util.logging.FileHandler(\"" + path + "\");",
                "String s = \"\\u0022 + new java.io.File(\\u0022" + path + "\\u0022).createNewFile() + \\u0022\";",
                "Runtime.getRuntime().exec(new String[] { \"touch\", \"" + path + "\" });",
                "decisions.getClass().getClassLoader();");
        String scenario = """
                {"description": "Any account", "account": {"segment": "MARS"}, "stats": {"openTickets": 1},
                 "expect": []}""";
        for (String consequence : consequences) {
            String drl = "package io.beacon.rules.x;\nimport io.beacon.engine.rules.model.*;\nglobal Decisions decisions;\n"
                    + "rule \"Escape\"\nwhen\nthen\n    " + consequence + "\nend\n";
            refusedDraft("""
                    {"files": {"escape.drl": %s}, "scenarios": {"any.json": %s}}"""
                    .formatted(jsonString(drl), jsonString(scenario)))
                    .body("validation.errors.line", hasItem(7))
                    .body("validation.scenarios", hasSize(0));
        }
        assertThat(marker).doesNotExist();
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void parametersOfTheWrongTypeAreRefusedNamingParameterAndSegment() {
        int draft = refusedDraft("""
                {"params": {"supportRisk.openTickets": {"MARS": "three"}}, "comment": "typo in a number"}""")
                .body("validation.ok", equalTo(false))
                .body("validation.errors[0].message",
                        equalTo("parameter supportRisk.openTickets.MARS: 'three' is not a whole number"))
                .extract().path("version.version");
        refused(draft).body("detail", containsString("'three' is not a whole number"));
    }

    @Test
    void aFailingScenarioBlocksActivationWithAReadableReport() {
        int draft = refusedDraft("""
                {"params": {"supportRisk.openTickets": {"MARS": 3}},
                 "scenarios": {"quiet-at-four.json": %s}}""".formatted(jsonString(QUIET_AT_FOUR_ON_MARS)))
                .body("validation.ok", equalTo(false))
                .body("validation.scenarios.find { it.file == 'quiet-at-four.json' }.passed", equalTo(false))
                .extract().path("version.version");
        refused(draft).body("report.scenarios.find { it.file == 'quiet-at-four.json' }.report",
                containsString("FAIL Four open tickets on a MARS account stay quiet"));
    }

    @Test
    void threeForMarsIsActivatedFollowedByTheNextEventsAndRolledBack() {
        int draft = draft("""
                {"params": {"supportRisk.openTickets": {"MARS": 3}},
                 "scenarios": {"raises-at-three.json": %s}, "comment": "try 3 for MARS"}"""
                .formatted(jsonString(RAISES_AT_THREE_ON_MARS)))
                .body("validation.ok", equalTo(true))
                .body("validation.scenarios.findAll { !it.passed }", hasSize(0))
                .extract().path("version.version");
        given().auth().oauth2(token()).queryParam("against", 1)
                .when().get("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/diff")
                .then().statusCode(200)
                .body("params", equalTo(List.of("supportRisk.openTickets MARS: 5 -> 3")))
                .body("files.size()", equalTo(0));

        given().auth().oauth2(token()).contentType("application/json").body("{\"comment\":\"try 3 for MARS\"}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/activate")
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
        assertThat(active.get().ruleset().version()).isEqualTo(draft);
        try (ConsumerTask<String, String> change = infra.companion().consumeStrings()
                .withGroupId("test-" + UUID.randomUUID()).withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Topics.RULES_CHANGES, records -> records.filter(
                        r -> RULESET.equals(r.key()) && r.value().contains("\"version\":" + draft + ",")
                                && r.value().contains("\"action\":\"ACTIVATED\"")))) {
            assertThat(change.awaitRecords(1, Duration.ofSeconds(10)).getRecords()).hasSize(1);
        }

        String account = "acct-" + UUID.randomUUID();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Mars Co","employees":250,"segment":"MARS",
                 "csm":{"id":"csm-m","name":"CSM","email":"c@example.com","team":"Mars-1"},"version":1}""".formatted(account));
        for (int i = 1; i <= 3; i++) {
            ticket(account, "t" + i, i);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(account).body("$", hasSize(1))
                .body("[0].reason", equalTo("support-risk"))
                .body("[0].rulesetVersion", equalTo(draft)));

        given().auth().oauth2(token()).contentType("application/json").body("{\"version\":1,\"comment\":\"back to 5\"}")
                .when().post("/api/v1/rulesets/" + RULESET + "/rollback")
                .then().statusCode(200).body("version", equalTo(1)).body("status", equalTo("ACTIVE"));
        assertThat(active.get().ruleset().version()).isEqualTo(1);
        given().auth().oauth2(token()).when().get("/api/v1/rulesets/" + RULESET + "/versions")
                .then().body("find { it.version == " + draft + " }.status", equalTo("RETIRED"));
        given().auth().oauth2(token()).when().get("/api/v1/rulesets/" + RULESET + "/audit")
                .then().body("action", hasItem("ROLLED_BACK")).body("comment", hasItem("try 3 for MARS"));
    }

    @Test
    void aBacktestShowsWhatThreeForMarsWouldHaveDone_withProgressAndExamples() {
        String csm = "csm-" + UUID.randomUUID();
        Instant start = Instant.now().minus(Duration.ofHours(2));
        // Three MARS accounts of one CSM: with 3, 4 and 5 open tickets. Today only the last one is at risk.
        marsAccounts(csm, "Mars-2", 3, 5, start);
        int draft = draft("""
                {"params": {"supportRisk.openTickets": {"MARS": 3}}, "scenarios": {"raises-at-three.json": %s}}"""
                .formatted(jsonString(RAISES_AT_THREE_ON_MARS))).extract().path("version.version");

        String location = given().auth().oauth2(token()).contentType("application/json")
                .body("{\"from\":\"" + start.minus(Duration.ofMinutes(5)) + "\",\"to\":\"" + Instant.now().plusSeconds(60) + "\"}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/backtest")
                .then().statusCode(202).body("status", equalTo("RUNNING")).body("against", equalTo(1))
                .extract().header("Location");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token()).when().get(location)
                .then().statusCode(200).body("status", equalTo("DONE")).body("progress.percent", equalTo(100)));

        ValidatableResponse result = given().auth().oauth2(token()).when().get(location).then();
        result.body("result.openedByCsm.find { it.key == '" + csm + "' }.baseline", equalTo(1))
                .body("result.openedByCsm.find { it.key == '" + csm + "' }.candidate", equalTo(3))
                .body("result.openedByCsm.find { it.key == '" + csm + "' }.delta", equalTo(2))
                .body("result.openedByRule.find { it.key == 'SupportRisk' }.delta", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("result.openedBySegment.key", hasItem("MARS"))
                .body("result.examples.rule", hasItem("SupportRisk"))
                .body("result.examples.openedOnlyUnder", hasItem("candidate"));
        assertThat(active.get().ruleset().version()).isEqualTo(1);
    }

    @Test
    void aTableCellChangedFromFiveToThreeBacktestsAsTheSameChangeMadeThroughParameters() throws Exception {
        String csm = "csm-" + UUID.randomUUID();
        Instant start = Instant.now().minus(Duration.ofHours(2));
        marsAccounts(csm, "Mars-T", 2, 6, start);

        // The default rules as tables (seeds/rules-tables), then the MARS cell changed from 5 to 3.
        RuleSource tables = RuleSource.fromDirectory(java.nio.file.Path.of("..", "seeds", "rules-tables"));
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        int five = draft(mapper.writeValueAsString(Map.of("basedOn", 1, "files", tables.files(),
                "removeFiles", List.of("support-risk.drl", "escalations.drl"), "comment", "rules as tables")))
                .body("validation.ok", equalTo(true)).extract().path("version.version");
        String table = tables.files().get("support-risk.drl.csv");
        int three = draft(mapper.writeValueAsString(Map.of("basedOn", five, "files", Map.of("support-risk.drl.csv",
                table.replace("SupportRisk MARS,MARS,5,", "SupportRisk MARS,MARS,3,")), "comment", "MARS at 3 in the table")))
                .extract().path("version.version");
        given().auth().oauth2(token()).queryParam("against", five)
                .get("/api/v1/rulesets/" + RULESET + "/versions/" + three + "/diff").then().statusCode(200)
                .body("tables.'support-risk.drl.csv'", org.hamcrest.Matchers.contains("row 'SupportRisk MARS': Open tickets at least 5 → 3"));
        int params = draft("""
                {"params": {"supportRisk.openTickets": {"MARS": 3}}, "comment": "MARS at 3 as a parameter"}""")
                .extract().path("version.version");

        String window = "{\"from\":\"" + start.minus(Duration.ofMinutes(5)) + "\",\"to\":\"" + Instant.now().plusSeconds(60) + "\"";
        Map<String, Object> byTable = backtestResult(three, window + ",\"against\":" + five + "}");
        Map<String, Object> byParams = backtestResult(params, window + ",\"against\":1}");
        for (String figure : List.of("baseline", "candidate", "openedByRule", "openedBySegment", "openedByTeam", "openedByCsm", "events")) {
            assertThat(byTable.get(figure)).as(figure).isEqualTo(byParams.get(figure));
        }
        assertThat(byTable.get("openedByCsm").toString()).contains(csm);

        // A cell holding code is refused at its line and column, naming row and column.
        refusedDraft(mapper.writeValueAsString(Map.of("basedOn", five, "files", Map.of("support-risk.drl.csv",
                table.replace("SupportRisk MARS,MARS,5,", "SupportRisk MARS,MARS,\"3 || true\",")))))
                .body("validation.errors[0].file", equalTo("support-risk.drl.csv"))
                .body("validation.errors[0].line", equalTo(10)).body("validation.errors[0].column", equalTo(3))
                .body("validation.errors[0].message", containsString("not a whole number"));
    }

    /**
     * MARS accounts of one CSM with {@code fewest} to {@code most} (at least 5) open tickets opened
     * from {@code start} on; returns once the engine has them (the last one has its support-risk CTA).
     */
    private void marsAccounts(String csm, String team, int fewest, int most, Instant start) {
        String account = null;
        for (int open = fewest; open <= most; open++) {
            account = "acct-" + UUID.randomUUID();
            infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                    {"accountId":"%s","name":"Mars Co","employees":250,"segment":"MARS",
                     "csm":{"id":"%s","name":"CSM","email":"c@example.com","team":"%s"},"version":1}"""
                    .formatted(account, csm, team));
            for (int i = 1; i <= open; i++) {
                ticketAt(account, "t" + i, start.plusSeconds(60L * i));
            }
        }
        String last = account;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ctas(last).body("$", hasSize(1)));
    }

    private Map<String, Object> backtestResult(int version, String body) {
        String location = given().auth().oauth2(token()).contentType("application/json").body(body)
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + version + "/backtest")
                .then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(token()).when().get(location)
                .then().body("status", equalTo("DONE")));
        return given().auth().oauth2(token()).when().get(location).then().extract().path("result");
    }

    @Test
    void editingOneFileKeepsEveryOtherFileAndScenarioAndOnlyANamedRemovalDropsOne() {
        String base = given().auth().oauth2(token()).get("/api/v1/rulesets/" + RULESET + "/versions/1").then()
                .extract().path("files.'support-risk.drl'");
        List<String> baseFiles = List.copyOf(given().auth().oauth2(token()).get("/api/v1/rulesets/" + RULESET + "/versions/1")
                .then().extract().<Map<String, Object>> path("files").keySet());
        int baseScenarios = given().auth().oauth2(token()).get("/api/v1/rulesets/" + RULESET + "/versions/1").then()
                .extract().<Map<String, Object>> path("scenarios").size();
        // What an ops person does in the console: a comment changed on one line of one file.
        int draft = draft("""
                {"basedOn": 1, "files": {"support-risk.drl": %s}, "comment": "a clearer comment"}"""
                .formatted(jsonString(base.replaceFirst("\n", "\n// Tuned with the CS leads.\n"))))
                .body("validation.ok", equalTo(true))
                .body("validation.scenarios", hasSize(baseScenarios))
                .body("validation.scenarios.findAll { !it.passed }", hasSize(0))
                .body("validation.warnings.findAll { it.contains('not read') }", hasSize(0))
                .extract().path("version.version");
        given().auth().oauth2(token()).get("/api/v1/rulesets/" + RULESET + "/versions/" + draft).then()
                .body("files.keySet()", org.hamcrest.Matchers.containsInAnyOrder(baseFiles.toArray()));
        given().auth().oauth2(token()).queryParam("against", 1).get("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/diff")
                .then().body("files.keySet()", org.hamcrest.Matchers.contains("support-risk.drl"));

        // Dropping needs naming: an unknown name, a file both changed and removed, or removing everything is refused.
        given().auth().oauth2(token()).contentType("application/json").body("{\"removeFiles\":[\"nope.drl\"]}")
                .post("/api/v1/rulesets/" + RULESET + "/versions").then().statusCode(400)
                .body("errors[0].field", equalTo("removeFiles")).body("detail", containsString("nope.drl"));
        given().auth().oauth2(token()).contentType("application/json")
                .body("{\"files\":{\"support-quality.drl\":\"x\"},\"removeFiles\":[\"support-quality.drl\"]}")
                .post("/api/v1/rulesets/" + RULESET + "/versions").then().statusCode(400)
                .body("errors[0].field", equalTo("removeFiles"));
        given().auth().oauth2(token()).contentType("application/json")
                .body("{\"removeFiles\":" + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(baseFiles) + "}")
                .post("/api/v1/rulesets/" + RULESET + "/versions").then().statusCode(400)
                .body("detail", containsString("at least one DRL file"));
        given().auth().oauth2(token()).contentType("application/json").body("{\"files\":{\"support-risk.drl\":null}}")
                .post("/api/v1/rulesets/" + RULESET + "/versions").then().statusCode(400)
                .body("errors[0].field", equalTo("files"));
    }

    @Test
    void aDiscardedDraftStaysInTheHistoryAndCanNeverBeActivated() {
        int draft = draft("""
                {"params": {"supportRisk.openTickets": {"VENUS": 4}}, "comment": "maybe 4 for VENUS"}""")
                .extract().path("version.version");
        given().auth().oauth2(token()).queryParam("comment", "not now").when()
                .delete("/api/v1/rulesets/" + RULESET + "/versions/" + draft).then().statusCode(200)
                .body("status", equalTo("DISCARDED"));
        given().auth().oauth2(token()).contentType("application/json").body("{\"comment\":\"oops\"}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/activate").then().statusCode(409);
        given().auth().oauth2(token()).when().delete("/api/v1/rulesets/" + RULESET + "/versions/" + draft).then().statusCode(409);
        given().auth().oauth2(token()).when().delete("/api/v1/rulesets/" + RULESET + "/versions/1").then().statusCode(409);
        given().auth().oauth2(infra.token(Roles.EXEC)).when().delete("/api/v1/rulesets/" + RULESET + "/versions/" + draft)
                .then().statusCode(403);
        given().auth().oauth2(token()).when().get("/api/v1/rulesets/" + RULESET + "/audit")
                .then().body("findAll { it.version == " + draft + " }.action", hasItem("DISCARDED"));
    }

    @Test
    void aVersionHasOneRunningBacktestAndItsPastBacktestsCanBeReadAgain() {
        int draft = draft("""
                {"params": {"supportRisk.openTickets": {"JUPITER": 6}}, "comment": "6 for JUPITER"}""")
                .extract().path("version.version");
        // A backtest of this version is running (as another instance or a first click left it).
        io.beacon.engine.backtest.Backtest running = new io.beacon.engine.backtest.Backtest();
        running.id = UUID.randomUUID().toString();
        running.ruleset = RULESET;
        running.version = draft;
        running.against = 1;
        running.windowFrom = java.time.Instant.now().minus(Duration.ofDays(30));
        running.windowTo = java.time.Instant.now();
        running.status = "RUNNING";
        running.requestedBy = "ops-1";
        running.startedAt = java.time.Instant.now();
        running.heartbeatAt = java.time.Instant.now();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(running::persist);
        given().auth().oauth2(token()).contentType("application/json").body("{}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/backtest")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("/api/v1/backtests/" + running.id));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> io.beacon.engine.backtest.Backtest
                .update("status = 'FAILED' where id = ?1", running.id));

        String id = given().auth().oauth2(token()).contentType("application/json").body("{}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/backtest")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token())
                .get("/api/v1/backtests/" + id).then().body("status", equalTo("DONE")));
        given().auth().oauth2(token()).get("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/backtests").then()
                .statusCode(200).body("id", org.hamcrest.Matchers.contains(id, running.id))
                .body("[0].result.events", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aBacktestOfAVersionThatDoesNotCompileIsRefused() {
        int draft = refusedDraft("""
                {"files": {"x.drl": "rule \\"X\\" when then nonsense( end"}}""").extract().path("version.version");
        given().auth().oauth2(token()).contentType("application/json").body("{}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + draft + "/backtest")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("cannot be compiled"));
    }

    @Test
    void onlyRulesAdminsChangeRules() {
        given().auth().oauth2(infra.token(Roles.EXEC)).contentType("application/json").body("{}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions").then().statusCode(403);
        given().auth().oauth2(infra.token(Roles.EXEC)).when().get("/api/v1/rulesets")
                .then().statusCode(200).body("name", hasItem(RULESET));
    }

    private ValidatableResponse draft(String body) {
        return given().auth().oauth2(token()).contentType("application/json").body(body)
                .when().post("/api/v1/rulesets/" + RULESET + "/versions")
                .then().statusCode(201);
    }

    /** A draft that is saved but does not pass: 422 with the problem, the version and its report. */
    private ValidatableResponse refusedDraft(String body) {
        return given().auth().oauth2(token()).contentType("application/json").body(body)
                .when().post("/api/v1/rulesets/" + RULESET + "/versions")
                .then().statusCode(422).contentType("application/problem+json")
                .body("validation.ok", equalTo(false));
    }

    private ValidatableResponse refused(int version) {
        return given().auth().oauth2(token()).contentType("application/json").body("{\"comment\":\"try\"}")
                .when().post("/api/v1/rulesets/" + RULESET + "/versions/" + version + "/activate")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("the active version keeps serving"));
    }

    private void ticket(String account, String ticket, int minute) {
        Instant at = T0.plusSeconds(60L * minute);
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"open","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), at, account, ticket, T0, at));
    }

    private void ticketAt(String account, String ticket, Instant at) {
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"open","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), at, account, ticket, at, at));
    }

    private ValidatableResponse ctas(String account) {
        return given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("accountId", account)
                .get("/api/v1/ctas").then().statusCode(200);
    }

    private String token() {
        return infra.token(Roles.RULES_ADMIN);
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
