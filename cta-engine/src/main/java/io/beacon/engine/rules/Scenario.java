package io.beacon.engine.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.beacon.contracts.Segment;
import io.beacon.engine.rules.model.Decisions;

/**
 * A rule scenario: given an account's facts, the decisions the ruleset must make. Scenario files
 * (JSON) live beside the rules in {@code scenarios/}; they run in CI and guard rule changes.
 */
public record Scenario(String description, Instant now, Account account, Stats stats, List<Cta> openCtas,
        List<Expected> expect) {

    /** Scenarios without {@code now} are evaluated at this instant. */
    public static final Instant DEFAULT_NOW = Instant.parse("2026-11-01T12:00:00Z");

    public Scenario {
        now = now == null ? DEFAULT_NOW : now;
        openCtas = openCtas == null ? List.of() : openCtas;
        expect = expect == null ? List.of() : expect;
    }

    public record Account(Segment segment, String ownerCsmId, LocalDate renewalDate) {
    }

    /** {@code maxReopenCount} is given to one open ticket, T-1. */
    public record Stats(int openTickets, int openUrgent, int openHigh, int openSlaBreached, int maxReopenCount,
            int createdLast24h, int createdLast30d) {
    }

    /** A CTA that is not closed; {@code openedDaysAgo} before {@code now}. */
    public record Cta(String type, String reason, String status, int openedDaysAgo, boolean escalated) {
    }

    public record Expected(Decisions.Kind kind, String type, String reason, String rule) {
    }
}
