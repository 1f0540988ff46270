package io.beacon.engine.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "beacon.rules")
public interface EngineConfig {

    /**
     * Folder holding {@code ruleset.properties} and its DRL files; unset means the default rules
     * shipped inside the engine (a copy of {@code seeds/rules}).
     */
    Optional<Path> dir();
}
