package io.beacon.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A ruleset version became the active one, as published on {@link Topics#RULES_CHANGES} keyed by
 * ruleset name. Every engine instance loads that version from the database and swaps to it;
 * {@code checksum} lets an instance see that it already runs it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RulesetChange(String name, int version, String checksum, String action, String actor, String comment,
        Instant at) {
}
