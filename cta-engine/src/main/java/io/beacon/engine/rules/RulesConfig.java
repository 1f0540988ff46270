package io.beacon.engine.rules;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.rules")
public interface RulesConfig {

    /**
     * Folder holding {@code ruleset.properties} and its DRL files; unset means the default rules
     * shipped inside the engine (a copy of {@code seeds/rules}).
     */
    Optional<Path> dir();

    /**
     * Most rule firings one evaluation may make; more means rules are feeding each other in a loop.
     * The evaluation is then discarded and recorded as a failure.
     */
    @WithDefault("200")
    int maxFiringsPerEvaluation();

    /** Watch {@link #dir()} and turn every change into a new draft version. */
    @WithDefault("true")
    boolean watch();

    /**
     * Activate a version from the directory once it passes validation and its scenarios; false keeps
     * it a draft for someone to activate through the API.
     */
    @WithDefault("true")
    boolean autoActivate();

    /** How often each instance checks that it runs the active version (a safety net for missed changes). */
    @WithDefault("10s")
    java.time.Duration reconcileEvery();
}
