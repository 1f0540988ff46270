package io.beacon.engine.playbooks;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "beacon.playbooks")
public interface PlaybooksConfig {

    /**
     * Folder of playbook files ({@code *.json}); unset means the playbooks built into the engine (a copy
     * of {@code seeds/playbooks}). The folder is read again when its files change.
     */
    Optional<Path> dir();
}
