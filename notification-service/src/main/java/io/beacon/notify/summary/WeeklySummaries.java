package io.beacon.notify.summary;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.beacon.contracts.Segment;
import io.beacon.notify.config.NotifyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Composes weekly summaries from the CTA and account views (aggregated by PostgreSQL). */
@ApplicationScoped
public class WeeklySummaries {

    /** An open escalation, as the engine's dashboard counts it; test accounts are never counted. */
    private static final String OPEN_ESCALATION = "c.escalated AND c.status <> 'CLOSED'";
    private static final String REAL = "NOT coalesce(a.test, false)";

    private final EntityManager em;
    private final NotifyConfig config;

    WeeklySummaries(EntityManager em, NotifyConfig config) {
        this.em = em;
        this.config = config;
    }

    @Transactional
    public WeeklySummary compose(LocalDate weekOf, ZoneId zone, Instant from, Instant to, Instant now) {
        List<WeeklySummary.SegmentRisk> segments = segments();
        int openEscalations = segments.stream().mapToInt(WeeklySummary.SegmentRisk::openEscalations).sum();
        BigDecimal arrAtRisk = segments.stream().map(WeeklySummary.SegmentRisk::arrAtRisk).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        return new WeeklySummary(weekOf, zone.getId(), from, to, now, openEscalations, arrAtRisk,
                count("escalated_at", from, to, ""), count("opened_at", from, to, ""),
                count("closed_at", from, to, " AND c.status = 'CLOSED'"), segments, escalations(), attention(),
                base() + "/#/dashboard");
    }

    /** Every segment, also those with nothing at risk, then accounts whose segment is not known yet. */
    private List<WeeklySummary.SegmentRisk> segments() {
        Map<String, WeeklySummary.SegmentRisk> bySegment = new LinkedHashMap<>();
        for (Segment segment : Segment.values()) {
            bySegment.put(segment.name(), new WeeklySummary.SegmentRisk(segment.name(), 0, 0, BigDecimal.ZERO));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT segment, count(*), sum(escalations), sum(arr)
                FROM (SELECT c.account_id, coalesce(a.segment, 'UNKNOWN') AS segment, coalesce(a.arr, 0) AS arr,
                             count(*) AS escalations
                      FROM cta_view c LEFT JOIN account_view a ON a.account_id = c.account_id
                      WHERE %s AND %s
                      GROUP BY c.account_id, a.segment, a.arr) per_account
                GROUP BY segment
                """.formatted(OPEN_ESCALATION, REAL)).getResultList();
        for (Object[] row : rows) {
            bySegment.put((String) row[0], new WeeklySummary.SegmentRisk((String) row[0], ((Number) row[1]).intValue(),
                    ((Number) row[2]).intValue(), (BigDecimal) row[3]));
        }
        return List.copyOf(bySegment.values());
    }

    private int count(String column, Instant from, Instant to, String also) {
        return ((Number) em.createNativeQuery("""
                SELECT count(*) FROM cta_view c LEFT JOIN account_view a ON a.account_id = c.account_id
                WHERE c.%1$s >= ?1 AND c.%1$s < ?2 AND %2$s%3$s""".formatted(column, REAL, also))
                .setParameter(1, Timestamp.from(from)).setParameter(2, Timestamp.from(to)).getSingleResult()).intValue();
    }

    /** The open escalations on the largest accounts first. */
    private List<WeeklySummary.Escalation> escalations() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT c.cta_id, c.account_id, a.name, a.segment, a.arr, c.reason, c.priority, c.owner_csm_id,
                       coalesce(c.escalated_at, c.last_event_at)
                FROM cta_view c LEFT JOIN account_view a ON a.account_id = c.account_id
                WHERE %s AND %s
                ORDER BY a.arr DESC NULLS LAST, coalesce(c.escalated_at, c.last_event_at), c.cta_id
                LIMIT ?1""".formatted(OPEN_ESCALATION, REAL))
                .setParameter(1, config.weeklySummary().escalationsListed()).getResultList();
        List<WeeklySummary.Escalation> escalations = new ArrayList<>();
        for (Object[] r : rows) {
            String account = (String) r[1];
            escalations.add(new WeeklySummary.Escalation((String) r[0], account, r[2] != null ? (String) r[2] : account,
                    r[3] != null ? (String) r[3] : "UNKNOWN", (BigDecimal) r[4], (String) r[5], (String) r[6],
                    (String) r[7], instant(r[8]), link(account)));
        }
        return escalations;
    }

    /**
     * The accounts that most need attention: the most open escalations first, then red health, then the
     * most open CTAs, then the largest ARR. An account with nothing open and a health that is not red is
     * never listed.
     */
    private List<WeeklySummary.Attention> attention() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT a.account_id, a.name, a.segment, a.arr, a.health_color,
                       count(c.cta_id) FILTER (WHERE c.escalated), count(c.cta_id)
                FROM account_view a LEFT JOIN cta_view c ON c.account_id = a.account_id AND c.status <> 'CLOSED'
                WHERE %s
                GROUP BY a.account_id, a.name, a.segment, a.arr, a.health_color
                HAVING count(c.cta_id) > 0 OR a.health_color = 'RED'
                ORDER BY 6 DESC, (a.health_color = 'RED') DESC NULLS LAST, 7 DESC, a.arr DESC NULLS LAST, a.account_id
                LIMIT ?1""".formatted(REAL)).setParameter(1, config.weeklySummary().attentionListed()).getResultList();
        List<WeeklySummary.Attention> attention = new ArrayList<>();
        for (Object[] r : rows) {
            String account = (String) r[0];
            attention.add(new WeeklySummary.Attention(account, r[1] != null ? (String) r[1] : account, (String) r[2],
                    (BigDecimal) r[3], (String) r[4], ((Number) r[5]).intValue(), ((Number) r[6]).intValue(),
                    link(account)));
        }
        return attention;
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : (Instant) value;
    }

    private String link(String accountId) {
        return base() + "/#/accounts/" + URLEncoder.encode(accountId, StandardCharsets.UTF_8);
    }

    private String base() {
        String url = config.uiBaseUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
