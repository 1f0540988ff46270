package io.beacon.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** The default ruleset shipped in {@code seeds/rules}, compiled as the engine compiles it: for tests that replay events. */
public final class SeededRules {

    public static final Path DIRECTORY = Path.of("..", "seeds", "rules");

    private SeededRules() {
    }

    public static ActiveRuleset.Compiled compiled() {
        Ruleset ruleset = ActiveRuleset.fromDirectory(DIRECTORY);
        RuleCompiler.Compiled compiled = new RuleCompiler().compile(ruleset.files());
        assertThat(compiled.errors()).isEmpty();
        return new ActiveRuleset.Compiled(ruleset, compiled.kieBase(), "test");
    }
}
