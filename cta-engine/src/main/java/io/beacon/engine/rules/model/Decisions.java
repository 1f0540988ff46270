package io.beacon.engine.rules.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rules decide, collected during one evaluation (the DRL global {@code decisions}). Rules only
 * decide; the engine turns decisions into CTA changes afterwards.
 */
public class Decisions {

    public enum Kind {
        RAISE, CLEAR
    }

    public static final class Decision {
        private final Kind kind;
        private final String type;
        private final String reason;
        private final String rule;
        private String priority = "MEDIUM";
        private boolean escalate;
        private int dueInDays = 7;
        private String closeReason;
        private final Map<String, Object> explanation = new LinkedHashMap<>();

        Decision(Kind kind, String type, String reason, String rule) {
            this.kind = kind;
            this.type = type;
            this.reason = reason;
            this.rule = rule;
        }

        public Decision priority(String value) {
            this.priority = value;
            return this;
        }

        public Decision escalate() {
            this.escalate = true;
            return this;
        }

        public Decision dueInDays(int days) {
            this.dueInDays = days;
            return this;
        }

        public Decision explain(String fact, Object value) {
            explanation.put(fact, value);
            return this;
        }

        public Kind kind() {
            return kind;
        }

        public String type() {
            return type;
        }

        public String reason() {
            return reason;
        }

        public String rule() {
            return rule;
        }

        public String priority() {
            return priority;
        }

        public boolean escalated() {
            return escalate;
        }

        public int dueInDays() {
            return dueInDays;
        }

        public String closeReason() {
            return closeReason;
        }

        public Map<String, Object> explanation() {
            return explanation;
        }
    }

    /** A CTA reason is a short label: it is stored, shown and matched on. */
    private static final java.util.regex.Pattern REASON = java.util.regex.Pattern.compile("[\\p{L}\\p{N} ._:/-]{1,100}");

    private final List<Decision> decisions = new ArrayList<>();
    private final List<Instant> rechecks = new ArrayList<>();

    /** Raise (or keep up to date) the CTA of this type and reason. */
    public Decision raise(String type, String reason, String rule) {
        Decision decision = new Decision(Kind.RAISE, type, reason, rule);
        decisions.add(decision);
        return decision;
    }

    /** Close the open CTA of this type and reason, e.g. because its condition cleared. */
    public Decision clear(String type, String reason, String closeReason, String rule) {
        Decision decision = new Decision(Kind.CLEAR, type, reason, rule);
        decision.closeReason = closeReason;
        decisions.add(decision);
        return decision;
    }

    /**
     * The decision made last in this evaluation: the one the current rule firing just made, for rules
     * whose actions come one statement at a time (a decision table's action columns).
     *
     * @throws IllegalStateException when no decision was made yet
     */
    public Decision last() {
        if (decisions.isEmpty()) {
            throw new IllegalStateException("no decision was made before last()");
        }
        return decisions.get(decisions.size() - 1);
    }

    /**
     * Asks for the account to be evaluated again at {@code at}, even if no event comes: for conditions
     * that time alone makes true, which the engine cannot see coming by itself (say, "90 days before
     * renewal" on an account with nothing open). The earliest request after the evaluation's instant
     * counts; one at or before it changes nothing. A request holds until the next evaluation, which
     * states its own: rules that still want the instant ask again.
     */
    public void recheckAt(Instant at) {
        if (at != null) {
            rechecks.add(at);
        }
    }

    /** {@link #recheckAt(Instant)} at the start (00:00 UTC) of {@code day}. */
    public void recheckOn(LocalDate day) {
        if (day != null) {
            rechecks.add(day.atStartOfDay(ZoneOffset.UTC).toInstant());
        }
    }

    /** The earliest re-evaluation asked for that is after {@code now}, or null. */
    public Instant recheckAfter(Instant now) {
        Instant earliest = null;
        for (Instant at : rechecks) {
            if (at.isAfter(now) && (earliest == null || at.isBefore(earliest))) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** How far ahead a rule may ask to be evaluated again: as far as a CTA may be due. */
    public static final int MAX_RECHECK_DAYS = 3650;

    /**
     * @return what is wrong with the re-evaluations asked for at evaluation instant {@code now} (one
     *         further ahead than {@link #MAX_RECHECK_DAYS} days, which the engine could not store), or
     *         null when there is nothing wrong
     */
    public String recheckProblem(Instant now) {
        Instant latest = now.plus(java.time.Duration.ofDays(MAX_RECHECK_DAYS));
        for (Instant at : rechecks) {
            if (at.isAfter(latest)) {
                return "the rules asked to be evaluated again at " + at + ", more than " + MAX_RECHECK_DAYS
                        + " days after the evaluation at " + now;
            }
        }
        return null;
    }

    public List<Decision> all() {
        return List.copyOf(decisions);
    }

    /**
     * @return what is wrong with the first decision the engine could not apply (an unknown type or
     *         priority, a reason that is not a short plain label), or null when all can be applied
     */
    public String problem() {
        for (Decision d : decisions) {
            String what = "rule " + d.rule() + " decided ";
            if (!isOneOf(d.type(), "RISK", "EXPANSION", "LIFECYCLE", "ACTIVITY", "OBJECTIVE")) {
                return what + "type '" + d.type() + "'; a CTA type is RISK, EXPANSION, LIFECYCLE, ACTIVITY or OBJECTIVE";
            }
            if (!isOneOf(d.priority(), "LOW", "MEDIUM", "HIGH", "CRITICAL")) {
                return what + "priority '" + d.priority() + "'; a priority is LOW, MEDIUM, HIGH or CRITICAL";
            }
            if (d.reason() == null || !REASON.matcher(d.reason()).matches()) {
                return what + "reason '" + d.reason() + "'; a reason is a label of 1 to 100 letters, digits, spaces "
                        + "and . _ : / -";
            }
            if (d.closeReason() != null && (d.closeReason().length() > 200 || d.closeReason().chars().anyMatch(c -> c < 0x20))) {
                return what + "a close reason that is longer than 200 characters or holds control characters";
            }
            if (d.dueInDays() < 0 || d.dueInDays() > 3650) {
                return what + "due in " + d.dueInDays() + " days; it must be 0 to 3650";
            }
        }
        return null;
    }

    private static boolean isOneOf(String value, String... allowed) {
        return value != null && List.of(allowed).contains(value);
    }
}
