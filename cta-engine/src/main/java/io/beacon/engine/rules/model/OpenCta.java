package io.beacon.engine.rules.model;

import java.time.Instant;

/** A CTA of the account that is not closed, so rules can decide to close it. */
public class OpenCta {

    private final String ctaId;
    private final String type;
    private final String reason;
    private final String status;
    private final Instant openedAt;

    public OpenCta(String ctaId, String type, String reason, String status, Instant openedAt) {
        this.ctaId = ctaId;
        this.type = type;
        this.reason = reason;
        this.status = status;
        this.openedAt = openedAt;
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
