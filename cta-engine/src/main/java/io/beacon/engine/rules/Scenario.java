package io.beacon.engine.rules;

import java.util.List;

import io.beacon.contracts.Segment;
import io.beacon.engine.rules.model.Decisions;

/**
 * A rule scenario: given an account's facts, the decisions the ruleset must make. Scenario files
 * (JSON) live beside the rules in {@code scenarios/}; they run in CI and guard rule changes.
 */
public record Scenario(String description, Account account, Stats stats, List<Cta> openCtas, List<Expected> expect) {

    public record Account(Segment segment, String ownerCsmId) {
    }

    public record Stats(int openTickets, int openUrgent, int openHigh) {
    }

    public record Cta(String type, String reason, String status) {
    }

    public record Expected(Decisions.Kind kind, String type, String reason, String rule) {
    }
}
