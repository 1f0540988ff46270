package io.beacon.engine.rules;

import io.beacon.engine.rules.model.AccountFact;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** A broken rule costs its own account an evaluation, never an event, and never other accounts. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@TestProfile(RuleFailureTest.OwnRuleset.class)
public class RuleFailureTest {

    private static final String FAULTY = """
            package io.beacon.rules.faulty;
            import io.beacon.engine.rules.model.AccountFact;

            rule "Explodes"
            when
                $a : AccountFact( id.startsWith("explode-") )
            then
                throw new IllegalStateException("boom for " + $a.getId());
            end

            rule "FeedsItself"
            when
                $a : AccountFact( id.startsWith("loop-") )
            then
                update($a);
            end
            """;

    /**
     * The test's rules are put in place directly (the faulty ones would never pass validation), so this
     * engine must not go back to the stored active version while a test of this profile runs: it reads
     * rule changes from a topic nobody writes (on rules.changes it would read, among others, its own
     * start-up announcement, a few seconds after start, and reload the stored version over the test's),
     * and does not reconcile with the stored version (the first reconcile comes one interval after start).
     */
    public static class OwnRuleset implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("beacon.rules.reconcile-every", "1h",
                    "mp.messaging.incoming.rules-in.topic", "rules.changes.unused-" + java.util.UUID.randomUUID());
        }
    }

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ActiveRuleset active;

    @AfterEach
    void restoreDefaultRules() {
        assertThat(active.activate(ActiveRuleset.fromClasspath()).ok()).isTrue();
    }

    @Test
    void throwingAndLoopingRulesAreRecordedAgainstRuleAndAccountWhileOthersGoOn() {
        Ruleset defaults = ActiveRuleset.fromClasspath();
        Map<String, String> files = new LinkedHashMap<>(defaults.files());
        files.put("faulty.drl", FAULTY);
        assertThat(active.activate(new Ruleset("faulty", 99, files, defaults.params())).ok()).isTrue();

        String exploding = "explode-" + UUID.randomUUID();
        String looping = "loop-" + UUID.randomUUID();
        String healthy = "acct-" + UUID.randomUUID();
        for (String account : new String[] { exploding, looping, healthy }) {
            snapshot(account);
            for (int i = 1; i <= 5; i++) {
                ticket(account, "t" + i);
            }
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .queryParam("accountId", healthy).get("/api/v1/ctas").then()
                .body("$", hasSize(1)).body("[0].ruleset", equalTo("faulty")).body("[0].rulesetVersion", equalTo(99)));
        // The failing accounts' tickets are stored all the same.
        for (String account : new String[] { exploding, looping }) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                    .get("/api/v1/accounts/" + account + "/tickets").then().body("$", hasSize(5)));
            given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("accountId", account).get("/api/v1/ctas")
                    .then().body("$", hasSize(0));
        }
        given().auth().oauth2(infra.token(Roles.RULES_ADMIN)).get("/api/v1/rule-failures").then().statusCode(200)
                .body("find { it.accountId == '" + exploding + "' }.rule", equalTo("Explodes"))
                .body("find { it.accountId == '" + exploding + "' }.message",
                        org.hamcrest.Matchers.containsString("boom for " + exploding))
                .body("find { it.accountId == '" + looping + "' }.message",
                        org.hamcrest.Matchers.containsString("limit of 200 rule firings"));
        given().auth().oauth2(infra.token(Roles.CSM, "c")).get("/api/v1/rule-failures").then().statusCode(403);
    }

    private void snapshot(String account) {
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Test","employees":50,"segment":"MERCURY",
                 "csm":{"id":"csm-x","name":"CSM","email":"c@example.com","team":"T"},"version":1}
                """.formatted(account));
    }

    private void ticket(String account, String id) {
        Instant now = Instant.now();
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"open","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), now, account, id, now.minusSeconds(7200), now));
    }
}
