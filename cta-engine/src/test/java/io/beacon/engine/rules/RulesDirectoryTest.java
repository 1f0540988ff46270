package io.beacon.engine.rules;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Teams that keep rules in git (or a mounted ConfigMap) edit files: the engine sees the change,
 * stores it as a version and activates it if it passes; a broken edit stays a draft.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@TestProfile(RulesDirectoryTest.WatchedCopy.class)
class RulesDirectoryTest {

    static final Path DIR = copyOfSeedRules();

    public static class WatchedCopy implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            // A ruleset name of its own, so this test's versions never meet the other tests' ones.
            return Map.of("beacon.rules.dir", DIR.toString());
        }
    }

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    ActiveRuleset active;

    @Test
    void anEditedParameterBecomesTheActiveVersion_andABrokenEditStaysADraft() throws IOException {
        assertThat(active.get().ruleset().name()).isEqualTo("watched");
        int first = active.get().ruleset().version();

        Path manifest = DIR.resolve(Ruleset.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace(
                "param.supportRisk.openTickets=MERCURY:5,MARS:5,VENUS:5,JUPITER:5",
                "param.supportRisk.openTickets=MERCURY:5,MARS:5,VENUS:5,JUPITER:3"));
        // The scenario that pinned the old threshold goes with it (JUPITER: four tickets stayed quiet).
        Files.delete(DIR.resolve("scenarios/support-risk-quiet-below-threshold.json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> active.get().ruleset().version() == first + 1);
        assertThat(active.get().ruleset().params().get("supportRisk.openTickets", io.beacon.contracts.Segment.JUPITER))
                .isEqualTo(3);
        given().auth().oauth2(infra.token(Roles.RULES_ADMIN)).when().get("/api/v1/rulesets/watched/versions")
                .then().body("[0].status", equalTo("ACTIVE")).body("[0].source", equalTo("directory"));

        Path drl = DIR.resolve("support-risk.drl");
        Files.writeString(drl, Files.readString(drl).replace("openTickets >= $params", "openTickets >= >= $params"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.RULES_ADMIN))
                .when().get("/api/v1/rulesets/watched/versions")
                .then().body("[0].version", equalTo(first + 2)).body("[0].status", equalTo("DRAFT")));
        // The draft is stored first, then tried: the refusal follows it into the audit trail.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.RULES_ADMIN))
                .when().get("/api/v1/rulesets/watched/audit")
                .then().body("findAll { it.version == " + (first + 2) + " }.action", hasItem("REFUSED")));
        assertThat(active.get().ruleset().version()).isEqualTo(first + 1);
    }

    private static Path copyOfSeedRules() {
        try {
            Path source = Path.of("..", "seeds", "rules");
            Path target = Files.createTempDirectory("beacon-rules");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                    Path copy = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                }
            }
            Path manifest = target.resolve(Ruleset.MANIFEST);
            Files.writeString(manifest, Files.readString(manifest).replace("name=default", "name=watched"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
