package io.beacon.engine.rules;

import java.util.List;
import java.util.Map;

import io.beacon.engine.rules.guard.RuleCodeGuard;

/**
 * A rule file is code that runs inside the engine, so before anything is compiled or run, every
 * file must pass the allow-list check of {@link RuleCodeGuard}: rules may reach their facts, the
 * {@code decisions} global and a short list of value, time and collection types, and nothing else.
 */
public final class RuleGuard {

    private RuleGuard() {
    }

    /** @return every offending place, empty when the files are within bounds */
    public static List<RuleCompiler.RuleError> check(Map<String, String> files) {
        return RuleCodeGuard.check(files).stream()
                .map(v -> new RuleCompiler.RuleError(v.file(), v.line(), v.column(), v.message()))
                .toList();
    }
}
