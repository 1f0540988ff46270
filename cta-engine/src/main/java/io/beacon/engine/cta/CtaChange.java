package io.beacon.engine.cta;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.beacon.contracts.CtaEvent;

/**
 * One change to a CTA, with the event that tells the world about it, taken when the change was made
 * (the CTA object may change again later in the same batch).
 */
public record CtaChange(Cta cta, CtaEvent event) {

    /** A change rules or the passing of time made. */
    public static CtaChange of(Cta cta, CtaEvent.Kind kind, Instant at, Map<String, Object> explanation) {
        return new CtaChange(cta, event(cta, kind, at, explanation, null));
    }

    /** The event for a change of {@code cta} as it is now, made by {@code actor} (null: rules or time). */
    public static CtaEvent event(Cta cta, CtaEvent.Kind kind, Instant at, Map<String, Object> explanation, String actor) {
        return new CtaEvent(UUID.randomUUID().toString(), cta.id, kind, at, cta.accountId,
                CtaEvent.CtaType.valueOf(cta.type), cta.reason, CtaEvent.Priority.valueOf(cta.priority), cta.escalated,
                cta.dueAt, cta.ownerCsmId, new CtaEvent.RuleRef(cta.ruleset, cta.rulesetVersion, cta.ruleName),
                explanation, cta.closeReason, actor);
    }
}
