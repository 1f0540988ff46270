package io.beacon.accounts.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.accounts")
public interface AccountsConfig {

    Health health();

    /** Folder with csms.csv and accounts.csv, loaded once into an empty database (the local stack sets it). */
    Optional<Path> seedDir();

    /** Largest CSV import accepted, in bytes. */
    @WithDefault("5242880")
    long importMaxBytes();

    interface Health {

        /** Scores below this are RED. */
        @WithDefault("50")
        int redBelow();

        /** Scores from this up are GREEN; between the two, YELLOW. */
        @WithDefault("76")
        int greenFrom();

        /**
         * The standard scorecard, as {@code name:weight} pairs summing to 100; used when scores come
         * without weights (CSV import, a single measure's update on an account without a scorecard).
         */
        @WithDefault("support:30,adoption:30,sentiment:20,relationship:20")
        String defaultMeasures();
    }
}
