package io.beacon.engine.dashboard;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Segment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * What an executive reads in a minute: the open escalations (where, how old, how much ARR they
 * put at risk), health by segment, and how this week compares with the weeks before. A handful
 * of aggregate queries over the engine's own tables; nothing is precomputed.
 */
@ApplicationScoped
public class DashboardService {

    /** Weeks in the trend, this one included. */
    static final int WEEKS = 8;
    private static final TypeReference<Map<String, Object>> EXPLANATION = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    DashboardService(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    /** {@code escalations}: the newest {@link #FIRST_PAGE}; the rest a page at a time from {@link #escalations}. */
    public record Dashboard(Instant generatedAt, int openEscalations, BigDecimal arrAtRisk, List<SegmentView> segments,
            List<AgeBucket> byAge, List<Escalation> escalations, List<Week> weeks) {
    }

    /** Not a test or benchmark account (an account the view does not know yet counts). */
    private static final String REAL = "NOT coalesce(a.test, false)";

    /** How many escalations the dashboard itself carries. */
    static final int FIRST_PAGE = 50;

    /** The order of an escalation page; ties in CTA id order, so pages never overlap. */
    public enum Sort {
        NEWEST("coalesce(c.escalated_at, c.updated_at) DESC"),
        OLDEST("coalesce(c.escalated_at, c.updated_at) ASC"),
        ARR("a.arr DESC NULLS LAST, coalesce(c.escalated_at, c.updated_at) DESC"),
        SEGMENT("a.segment ASC NULLS LAST, a.arr DESC NULLS LAST");

        final String orderBy;

        Sort(String orderBy) {
            this.orderBy = orderBy;
        }
    }

    /** Which escalations a page holds (null: any). */
    public record Filter(Segment segment, String team, String csm, String reason) {
    }

    public record Page(List<Escalation> items, long total) {
    }

    /** One segment: its accounts by health colour, its open CTAs and escalations, the ARR those put at risk. */
    public record SegmentView(Segment segment, int accounts, Map<String, Integer> health, int openCtas,
            int openEscalations, BigDecimal arrAtRisk) {
    }

    public record AgeBucket(String label, int count) {
    }

    public record Escalation(String ctaId, String accountId, String accountName, Segment segment, BigDecimal arr,
            String healthColor, String csmId, String csmTeam, String reason, String priority, String rule,
            int rulesetVersion, Instant escalatedAt, long ageHours, Map<String, Object> explanation) {
    }

    /** A week from Monday 00:00 UTC: CTAs opened and closed, and CTAs escalated in it. */
    public record Week(LocalDate weekOf, int ctasOpened, int ctasClosed, int escalations) {
    }

    /**
     * The summary: counts, ARR at risk and ages are aggregated in the database, so the answer stays small
     * however many escalations are open; the list holds only the newest page.
     */
    @Transactional
    public Dashboard dashboard() {
        Instant now = clock.instant();
        Map<Segment, SegmentView> segments = segments();
        BigDecimal arrAtRisk = segments.values().stream().map(SegmentView::arrAtRisk).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        Number open = (Number) em.createNativeQuery("SELECT count(*) FROM cta c LEFT JOIN account_view a "
                + "ON a.account_id = c.account_id WHERE c.escalated AND c.status <> 'CLOSED' AND " + REAL).getSingleResult();
        return new Dashboard(now, open.intValue(), arrAtRisk, List.copyOf(segments.values()), ages(now),
                escalations(new Filter(null, null, null, null), Sort.NEWEST, 0, FIRST_PAGE).items(), weeks(now));
    }

    /** One page of open escalations, filtered and sorted, and how many match in all. */
    @Transactional
    public Page escalations(Filter filter, Sort sort, int page, int size) {
        StringBuilder where = new StringBuilder("c.escalated AND c.status <> 'CLOSED' AND " + REAL);
        List<Object> values = new ArrayList<>();
        if (filter.segment() != null) {
            values.add(filter.segment().name());
            where.append(" AND a.segment = ?").append(values.size());
        }
        if (filter.team() != null) {
            values.add(filter.team());
            where.append(" AND a.csm_team = ?").append(values.size());
        }
        if (filter.csm() != null) {
            values.add(filter.csm());
            where.append(" AND c.owner_csm_id = ?").append(values.size());
        }
        if (filter.reason() != null) {
            values.add(filter.reason());
            where.append(" AND c.reason = ?").append(values.size());
        }
        String from = " FROM cta c LEFT JOIN account_view a ON a.account_id = c.account_id WHERE " + where;
        var count = em.createNativeQuery("SELECT count(*)" + from);
        var rows = em.createNativeQuery("""
                SELECT c.id, c.account_id, a.name, a.segment, a.arr, a.health_color, c.owner_csm_id, a.csm_team,
                       c.reason, c.priority, c.rule_name, c.ruleset_version,
                       coalesce(c.escalated_at, c.updated_at), c.explanation
                """ + from + " ORDER BY " + sort.orderBy + ", c.id LIMIT " + size + " OFFSET " + ((long) page * size));
        for (int i = 0; i < values.size(); i++) {
            count.setParameter(i + 1, values.get(i));
            rows.setParameter(i + 1, values.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> found = rows.getResultList();
        return new Page(escalations(found, clock.instant()), ((Number) count.getSingleResult()).longValue());
    }

    private List<Escalation> escalations(List<Object[]> rows, Instant now) {
        List<Escalation> result = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            Instant at = instant(r[12]);
            result.add(new Escalation((String) r[0], (String) r[1], (String) r[2],
                    r[3] == null ? null : Segment.valueOf((String) r[3]), (BigDecimal) r[4], (String) r[5],
                    (String) r[6], (String) r[7], (String) r[8], (String) r[9], (String) r[10],
                    ((Number) r[11]).intValue(), at, Duration.between(at, now).toHours(), explanation((String) r[13])));
        }
        return result;
    }

    private Map<Segment, SegmentView> segments() {
        @SuppressWarnings("unchecked")
        List<Object[]> accounts = em.createNativeQuery("""
                SELECT segment, coalesce(health_color, 'UNKNOWN'), count(*) FROM account_view WHERE NOT test GROUP BY 1, 2
                """).getResultList();
        Map<Segment, Map<String, Integer>> colours = new EnumMap<>(Segment.class);
        for (Object[] r : accounts) {
            Segment segment = Segment.valueOf((String) r[0]);
            colours.computeIfAbsent(segment, s -> new LinkedHashMap<>()).put((String) r[1], ((Number) r[2]).intValue());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> open = em.createNativeQuery("""
                SELECT a.segment, count(*) FROM cta c JOIN account_view a ON a.account_id = c.account_id
                WHERE c.status <> 'CLOSED' AND NOT a.test GROUP BY 1
                """).getResultList();
        Map<Segment, Integer> openCtas = new EnumMap<>(Segment.class);
        open.forEach(r -> openCtas.put(Segment.valueOf((String) r[0]), ((Number) r[1]).intValue()));
        // Escalations by segment, and the ARR they put at risk: each account's ARR once, however many it has.
        @SuppressWarnings("unchecked")
        List<Object[]> escalated = em.createNativeQuery("""
                SELECT a.segment, count(*), (SELECT coalesce(sum(x.arr), 0) FROM account_view x WHERE x.segment = a.segment
                        AND NOT x.test AND x.account_id IN (SELECT account_id FROM cta WHERE escalated AND status <> 'CLOSED'))
                FROM cta c JOIN account_view a ON a.account_id = c.account_id
                WHERE c.escalated AND c.status <> 'CLOSED' AND NOT a.test GROUP BY a.segment
                """).getResultList();
        Map<Segment, Object[]> bySegment = new EnumMap<>(Segment.class);
        escalated.forEach(r -> bySegment.put(Segment.valueOf((String) r[0]), r));
        Map<Segment, SegmentView> result = new LinkedHashMap<>();
        for (Segment segment : Segment.values()) {
            Map<String, Integer> byColour = new LinkedHashMap<>();
            for (String colour : List.of("RED", "YELLOW", "GREEN", "UNKNOWN")) {
                byColour.put(colour, colours.getOrDefault(segment, Map.of()).getOrDefault(colour, 0));
            }
            Object[] esc = bySegment.get(segment);
            int escalations = esc == null ? 0 : ((Number) esc[1]).intValue();
            BigDecimal arr = esc == null ? BigDecimal.ZERO : new BigDecimal(esc[2].toString());
            int total = byColour.values().stream().mapToInt(Integer::intValue).sum();
            result.put(segment, new SegmentView(segment, total, byColour, openCtas.getOrDefault(segment, 0),
                    escalations, arr));
        }
        return result;
    }

    private List<AgeBucket> ages(Instant now) {
        long[] limits = { 24, 24 * 7, 24 * 30 };
        String[] labels = { "under a day", "1–7 days", "7–30 days", "over 30 days" };
        int[] counts = new int[labels.length];
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT CASE WHEN at > ?1 THEN 0 WHEN at > ?2 THEN 1 WHEN at > ?3 THEN 2 ELSE 3 END, count(*)
                FROM (SELECT coalesce(c.escalated_at, c.updated_at) AS at FROM cta c LEFT JOIN account_view a
                      ON a.account_id = c.account_id WHERE c.escalated AND c.status <> 'CLOSED' AND %s) e
                GROUP BY 1
                """.formatted(REAL)).setParameter(1, now.minus(Duration.ofHours(limits[0])))
                .setParameter(2, now.minus(Duration.ofHours(limits[1])))
                .setParameter(3, now.minus(Duration.ofHours(limits[2]))).getResultList();
        rows.forEach(r -> counts[((Number) r[0]).intValue()] = ((Number) r[1]).intValue());
        List<AgeBucket> result = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            result.add(new AgeBucket(labels[i], counts[i]));
        }
        return result;
    }

    private List<Week> weeks(Instant now) {
        LocalDate thisWeek = now.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate first = thisWeek.minusWeeks(WEEKS - 1);
        Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<LocalDate, int[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < WEEKS; i++) {
            counts.put(first.plusWeeks(i), new int[3]);
        }
        count(counts, "opened_at", from, 0);
        count(counts, "closed_at", from, 1);
        count(counts, "escalated_at", from, 2);
        return counts.entrySet().stream().map(e -> new Week(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                .toList();
    }

    private void count(Map<LocalDate, int[]> counts, String column, Instant from, int slot) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT (date_trunc('week', c." + column
                + " AT TIME ZONE 'UTC'))::date, count(*) FROM cta c LEFT JOIN account_view a ON a.account_id = c.account_id"
                + " WHERE c." + column + " >= ?1 AND " + REAL + " GROUP BY 1")
                .setParameter(1, from).getResultList();
        for (Object[] r : rows) {
            LocalDate week = r[0] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[0];
            int[] slotCounts = counts.get(week);
            if (slotCounts != null) {
                slotCounts[slot] = ((Number) r[1]).intValue();
            }
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return (Instant) value;
    }

    private Map<String, Object> explanation(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, EXPLANATION);
        } catch (JsonProcessingException e) {
            return Map.of("text", text);
        }
    }
}
