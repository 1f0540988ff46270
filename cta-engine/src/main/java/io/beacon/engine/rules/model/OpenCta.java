package io.beacon.engine.rules.model;

import java.time.Instant;

/** A CTA of the account that is not closed, so rules can decide to close it. */
public class OpenCta {

    private final String ctaId;
    private final String type;
    private final String reason;
    private final String status;
    private final Instant openedAt;
    private final boolean escalated;

    public OpenCta(String ctaId, String type, String reason, String status, Instant openedAt, boolean escalated) {
        this.ctaId = ctaId;
        this.type = type;
        this.reason = reason;
        this.status = status;
        this.openedAt = openedAt;
        this.escalated = escalated;
    }

    public boolean isEscalated() {
        return escalated;
    }

    public String getCtaId() {
        return ctaId;
    }

    public String getType() {
        return type;
    }

    public String getReason() {
        return reason;
    }

    public String getStatus() {
        return status;
    }

    public Instant getOpenedAt() {
        return openedAt;
    }
}
