package io.beacon.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something a person asked to be done to a CTA from outside the console — a button in a chat message —
 * published on {@link Topics#CTAS_COMMANDS} keyed by {@code ctaId}. The engine checks that {@code actor}
 * (a CSM id) may act on the CTA, as for the same request through its API, and applies it once:
 * {@code commandId} identifies the request (a repeated click is the same command).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CtaCommand(
        String commandId,
        String ctaId,
        Action action,
        /** For {@link Action#SNOOZE}: until when. */
        Instant until,
        /** The CSM who asked. */
        String actor,
        /** Where the request came from, e.g. {@code slack}. */
        String via,
        Instant requestedAt) {

    public enum Action {
        SNOOZE,
        /** Close as not relevant. */
        CLOSE_NOT_RELEVANT,
        /** Close as done. */
        CLOSE_DONE
    }
}
