package io.beacon.engine.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.beacon.engine.rules.model.Params;

/**
 * A ruleset as ops write it: a manifest ({@code ruleset.properties}: name, version, files and
 * {@code param.<name>=SEGMENT:value,...}) and its DRL files.
 */
public record Ruleset(String name, int version, Map<String, String> files, Params params) {

    public static final String MANIFEST = "ruleset.properties";

    /**
     * The ruleset a source makes as version {@code version}, its parameters checked as validation
     * checks them ({@link RuleSource} is the one reader of rule directories and manifests).
     *
     * @throws IllegalArgumentException naming the first parameter that is not a whole number per segment
     */
    public static Ruleset from(RuleSource source, int version) {
        List<RuleCompiler.RuleError> errors = new ArrayList<>();
        Params params = RuleValidator.params(source.params(), errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.get(0).file() + ": " + errors.get(0).message());
        }
        return new Ruleset(source.name(), version, source.files(), params);
    }
}
