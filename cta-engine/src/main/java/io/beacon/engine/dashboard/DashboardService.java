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
import java.util.stream.Collectors;

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

    public record Dashboard(Instant generatedAt, int openEscalations, BigDecimal arrAtRisk, List<SegmentView> segments,
            List<AgeBucket> byAge, List<Escalation> escalations, List<Week> weeks) {
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

    @Transactional
    public Dashboard dashboard() {
        Instant now = clock.instant();
        List<Escalation> escalations = escalations(now);
        Map<Segment, SegmentView> segments = segments(escalations);
        BigDecimal arrAtRisk = segments.values().stream().map(SegmentView::arrAtRisk).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        return new Dashboard(now, escalations.size(), arrAtRisk, List.copyOf(segments.values()), ages(escalations),
                escalations, weeks(now));
    }

    private List<Escalation> escalations(Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT c.id, c.account_id, a.name, a.segment, a.arr, a.health_color, c.owner_csm_id, a.csm_team,
                       c.reason, c.priority, c.rule_name, c.ruleset_version,
                       coalesce(c.escalated_at, c.updated_at), c.explanation
                FROM cta c LEFT JOIN account_view a ON a.account_id = c.account_id
                WHERE c.escalated AND c.status <> 'CLOSED'
                ORDER BY coalesce(c.escalated_at, c.updated_at) DESC
                """).getResultList();
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

    private Map<Segment, SegmentView> segments(List<Escalation> escalations) {
        @SuppressWarnings("unchecked")
        List<Object[]> accounts = em.createNativeQuery("""
                SELECT segment, coalesce(health_color, 'UNKNOWN'), count(*) FROM account_view GROUP BY 1, 2
                """).getResultList();
        Map<Segment, Map<String, Integer>> colours = new EnumMap<>(Segment.class);
        for (Object[] r : accounts) {
            Segment segment = Segment.valueOf((String) r[0]);
            colours.computeIfAbsent(segment, s -> new LinkedHashMap<>()).put((String) r[1], ((Number) r[2]).intValue());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> open = em.createNativeQuery("""
                SELECT a.segment, count(*) FROM cta c JOIN account_view a ON a.account_id = c.account_id
                WHERE c.status <> 'CLOSED' GROUP BY 1
                """).getResultList();
        Map<Segment, Integer> openCtas = new EnumMap<>(Segment.class);
        open.forEach(r -> openCtas.put(Segment.valueOf((String) r[0]), ((Number) r[1]).intValue()));
        Map<Segment, SegmentView> result = new LinkedHashMap<>();
        for (Segment segment : Segment.values()) {
            Map<String, Integer> byColour = new LinkedHashMap<>();
            for (String colour : List.of("RED", "YELLOW", "GREEN", "UNKNOWN")) {
                byColour.put(colour, colours.getOrDefault(segment, Map.of()).getOrDefault(colour, 0));
            }
            List<Escalation> mine = escalations.stream().filter(e -> e.segment() == segment).toList();
            // ARR counts once per account, however many escalations it has.
            BigDecimal arr = mine.stream().collect(Collectors.toMap(Escalation::accountId,
                    e -> e.arr() == null ? BigDecimal.ZERO : e.arr(), (a, b) -> a)).values().stream()
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            int total = byColour.values().stream().mapToInt(Integer::intValue).sum();
            result.put(segment, new SegmentView(segment, total, byColour, openCtas.getOrDefault(segment, 0),
                    mine.size(), arr));
        }
        return result;
    }

    private static List<AgeBucket> ages(List<Escalation> escalations) {
        long[] limits = { 24, 24 * 7, 24 * 30 };
        String[] labels = { "under a day", "1–7 days", "7–30 days", "over 30 days" };
        int[] counts = new int[labels.length];
        for (Escalation e : escalations) {
            int i = 0;
            while (i < limits.length && e.ageHours() >= limits[i]) {
                i++;
            }
            counts[i]++;
        }
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
        List<Object[]> rows = em.createNativeQuery("SELECT (date_trunc('week', " + column
                + " AT TIME ZONE 'UTC'))::date, count(*) FROM cta WHERE " + column + " >= ?1 GROUP BY 1")
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
