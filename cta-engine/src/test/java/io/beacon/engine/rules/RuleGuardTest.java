package io.beacon.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RuleGuardTest {

    private static List<RuleCompiler.RuleError> check(String drl) {
        return RuleGuard.check(Map.of("r.drl", drl));
    }

    @Test
    void theDefaultRulesAreWithinBounds() {
        assertThat(RuleGuard.check(RuleSource.fromDirectory(Path.of("..", "seeds", "rules")).files())).isEmpty();
    }

    @Test
    void importsAreLimitedToTheRuleModelAndHarmlessJdkPackages() {
        List<RuleCompiler.RuleError> errors = check("""
                package io.beacon.rules.x;
                import io.beacon.engine.rules.model.Params;
                import java.util.List;
                import java.time.Duration;
                import java.util.concurrent.Executors;
                import java.lang.reflect.Method;
                import org.kie.api.runtime.KieSession;
                """);
        assertThat(errors).extracting(RuleCompiler.RuleError::line).containsExactly(5, 6, 7);
        assertThat(errors.get(0).column()).isEqualTo(8);
        assertThat(errors.get(0).message()).startsWith("import of java.util.concurrent.Executors is not allowed");
    }

    @Test
    void consequencesMayNotReachForProcessesThreadsReflectionFilesOrTheNetwork() {
        List<RuleCompiler.RuleError> errors = check("""
                rule "Bad"
                when
                then
                    java.nio.file.Files.delete(null);
                    Thread.sleep(10);
                    Runtime.getRuntime();
                    decisions.getClass().getDeclaredFields();
                    new java.net.Socket("example.com", 80);
                end
                """);
        assertThat(errors).extracting(RuleCompiler.RuleError::line).contains(4, 5, 6, 7, 8);
        assertThat(errors).filteredOn(e -> e.line() == 4).first()
                .satisfies(e -> assertThat(e.column()).isEqualTo(5));
        assertThat(errors).anyMatch(e -> e.message().startsWith("Thread is not allowed in rules"));
        assertThat(errors).anyMatch(e -> e.message().startsWith("getClass(...) is not allowed"));
    }

    @Test
    void wordsInCommentsAndStringsAreNotCode() {
        assertThat(check("""
                // System and Runtime are mentioned here only
                rule "Fine" /* Thread */
                when
                then
                    decisions.raise("RISK", "System outage", "Fine").explain("source", "java.io.File");
                end
                """)).isEmpty();
    }
}
