package io.beacon.contracts;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change to a call-to-action, as published on {@link Topics#CTAS_EVENTS} keyed by
 * {@code accountId}. {@code eventId} identifies this change, so a consumer can recognise a
 * redelivery; {@code ctaId} identifies the CTA across its whole life.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CtaEvent(
        String eventId,
        String ctaId,
        Kind kind,
        Instant occurredAt,
        String accountId,
        CtaType type,
        String reason,
        Priority priority,
        boolean escalated,
        Instant dueAt,
        String ownerCsmId,
        RuleRef rule,
        Map<String, Object> explanation,
        String closeReason,
        /** Who made the change: a person's id for a snooze, close, reopen or reassignment; null when rules or time did. */
        String actor) {

    public record RuleRef(String ruleset, int version, String rule) {
    }

    public enum Kind {
        OPENED, UPDATED, ESCALATED, CLOSED, SNOOZED, REOPENED,
        /** A person gave the CTA to another CSM ({@code ownerCsmId} is the new owner). */
        REASSIGNED
    }

    public enum CtaType {
        RISK, EXPANSION, LIFECYCLE, ACTIVITY, OBJECTIVE
    }

    public enum Priority {
        LOW, MEDIUM, HIGH, CRITICAL
    }
}
