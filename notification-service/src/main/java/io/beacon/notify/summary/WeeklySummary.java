package io.beacon.notify.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What the weekly executive summary says, as composed for one time zone: the escalations still open
 * (the largest accounts first), ARR at risk by segment, the CTAs of the week, and the accounts that
 * most need attention. Test and benchmark accounts are left out, as on the dashboard.
 *
 * @param weekOf the local date the summary is due; the week is {@code [from, to)}
 */
public record WeeklySummary(LocalDate weekOf, String timeZone, Instant from, Instant to, Instant composedAt,
        int openEscalations, BigDecimal arrAtRisk, int escalationsRaised, int ctasOpened, int ctasClosed,
        List<SegmentRisk> segments, List<Escalation> escalations, List<Attention> attention, String dashboardLink) {

    public record SegmentRisk(String segment, int accounts, int openEscalations, BigDecimal arrAtRisk) {
    }

    public record Escalation(String ctaId, String accountId, String accountName, String segment, BigDecimal arr,
            String reason, String priority, String ownerCsmId, Instant escalatedAt, String link) {
    }

    /** An account that needs attention, and why: its open escalations and CTAs, its health. */
    public record Attention(String accountId, String accountName, String segment, BigDecimal arr, String healthColor,
            int openEscalations, int openCtas, String link) {
    }

    /** How many flagged escalations the summary left out (it lists the largest only). */
    public int escalationsNotListed() {
        return Math.max(0, openEscalations - escalations.size());
    }
}
