package io.beacon.engine.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.rules")
public interface EngineConfig {

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
}
