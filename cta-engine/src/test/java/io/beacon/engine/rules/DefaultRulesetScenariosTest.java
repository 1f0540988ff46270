package io.beacon.engine.rules;

import io.beacon.engine.rules.model.AccountStats;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Every scenario file beside the default rules, run against those rules compiled as the engine compiles them. */
class DefaultRulesetScenariosTest {

    private static final Path RULES = Path.of("..", "seeds", "rules");
    private static Ruleset ruleset;
    private static RuleCompiler.Compiled compiled;

    @BeforeAll
    static void compileDefaultRules() {
        ruleset = ActiveRuleset.fromDirectory(RULES);
        compiled = new RuleCompiler().compile(ruleset.files());
        assertThat(compiled.errors()).isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> scenariosDecideAsExpected() throws IOException {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        List<Path> files;
        try (Stream<Path> listing = Files.list(RULES.resolve("scenarios"))) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Scenario scenario = json.readValue(file.toFile(), Scenario.class);
            ScenarioRunner.Outcome outcome = ScenarioRunner.run(compiled.kieBase(), ruleset.params(), scenario);
            assertThat(outcome.passed()).as(outcome.report()).isTrue();
        }));
    }

    @Test
    void theDefaultRulesetValidatesAndReadsEveryParameterItDefines() {
        RuleValidator.Report report = new RuleValidator(new RuleCompiler(), new ObjectMapper().findAndRegisterModules())
                .validate(RuleSource.fromDirectory(RULES), 1);
        assertThat(report.ok()).as(report.summary()).isTrue();
        // A parameter read inside a pattern, Params( get("x", segment) == 1 ), counts as read too.
        assertThat(report.warnings()).noneMatch(w -> w.contains("is not read by any rule"));
    }

    @Test
    void brokenDrlIsRefusedWithFileAndLine() {
        RuleCompiler.Compiled broken = new RuleCompiler().compile(Map.of("broken.drl", """
                package io.beacon.rules.test;
                import io.beacon.engine.rules.model.AccountStats;

                rule "Broken"
                when
                    AccountStats( openTickets >= )
                then
                end
                """));
        assertThat(broken.ok()).isFalse();
        assertThat(broken.errors()).first().satisfies(error -> {
            assertThat(error.file()).isEqualTo("broken.drl");
            assertThat(error.line()).isEqualTo(6);
        });
    }

    @Test
    void aScenarioThatDoesNotHoldIsReportedWithWhatTheRulesDecided() {
        Scenario wrong = new Scenario("wrongly expects a CTA at 4 tickets", null,
                new Scenario.Account(io.beacon.contracts.Segment.MARS, null, null), new Scenario.Stats(4, 0, 0, 0, 0, 0, 0), List.of(),
                List.of(new Scenario.Expected(io.beacon.engine.rules.model.Decisions.Kind.RAISE, "RISK", "support-risk",
                        "SupportRisk")));
        ScenarioRunner.Outcome outcome = ScenarioRunner.run(compiled.kieBase(), ruleset.params(), wrong);
        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.report()).startsWith("FAIL").contains("the rules decided []");
    }
}
