package io.beacon.engine.quality;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.beacon.platform.errors.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * How good the rules are, read from what happened to their CTAs (the {@code cta}, {@code cta_change},
 * {@code cta_note} and {@code cta_task} history): per rule (the CTA's reason), the version that
 * opened each CTA and a group (segment, team or CSM), how many CTAs were raised, acted on (closed
 * done, or a playbook task done), dismissed (closed as not relevant), cleared by themselves before
 * anyone touched them, snoozed, and the median time to the first human action.
 * <p>
 * And what the rules missed: a <em>situation</em> is an escalation, a manual RISK CTA a CSM raised,
 * or an account whose health turned RED. It was <em>missed</em> when no rule CTA of type RISK was
 * open on the account at any moment of the {@code within} days before it (a CTA that opened at the
 * same instant does not count: that is no warning). A support-risk CTA that later escalated was its
 * own warning.
 */
@ApplicationScoped
public class RuleQuality {

    public enum GroupBy {
        SEGMENT, TEAM, CSM
    }

    /** One rule × version × group. Rates are shares of {@code raised}; the median is in minutes. */
    public record Figures(String reason, int version, String group, long raised, long actedOn, long dismissed,
            long clearedBySelf, long snoozed, long stillOpen, Long medianMinutesToFirstAction) {

        @JsonProperty
        public double dismissedRate() {
            return raised == 0 ? 0 : (double) dismissed / raised;
        }

        @JsonProperty
        public double actedOnRate() {
            return raised == 0 ? 0 : (double) actedOn / raised;
        }
    }

    /** A situation: ESCALATION, MANUAL (a CSM's RISK CTA) or HEALTH_RED; {@code warned} when a rule CTA came first. */
    public record Situation(String accountId, String accountName, String segment, String team, String csmId,
            String kind, String detail, Instant at, String ctaId, Integer version, boolean warned) {
    }

    /** Situations and missed ones in one group. */
    public record Missed(String group, long situations, long missed) {
    }

    /** One version over all its CTAs and the time it served: for "since v3 went live". */
    public record VersionFigures(int version, Instant servingFrom, Instant servingTo, long raised, long actedOn,
            long dismissed, long clearedBySelf, double dismissedRate, double actedOnRate, long situations, long missed) {
    }

    public record Comparison(VersionFigures active, VersionFigures previous) {
    }

    public record Report(String ruleset, Instant from, Instant to, GroupBy groupBy, long missedWithinDays,
            List<Figures> figures, List<Missed> missedBy, List<Situation> missed, long missedListed, Comparison comparison) {
    }

    /** Most missed situations listed in a report (the counts cover all). */
    static final int MISSED_LISTED = 200;

    private final EntityManager em;

    RuleQuality(EntityManager em) {
        this.em = em;
    }

    /** One rule CTA as the figures need it. */
    record CtaRow(String id, String accountId, String reason, String status, String closeReason, Instant openedAt,
            Instant closedAt, String owner, int version, String segment, String team, Instant firstAction,
            boolean snoozed, boolean taskDone) {

        boolean actedOn() {
            return "done".equals(closeReason) || taskDone;
        }

        boolean dismissed() {
            return "not relevant".equals(closeReason);
        }

        boolean clearedBySelf() {
            return "CLOSED".equals(status) && !actedOn() && !dismissed()
                    && (firstAction == null || (closedAt != null && firstAction.isAfter(closedAt)));
        }

        String group(GroupBy by) {
            String key = switch (by) {
                case SEGMENT -> segment;
                case TEAM -> team;
                case CSM -> owner;
            };
            return key == null ? "(none)" : key;
        }
    }

    @Transactional
    public Report report(String ruleset, Instant from, Instant to, GroupBy groupBy, Duration within, String reason) {
        if (!from.isBefore(to)) {
            throw Refusal.invalid("from", "the window must start before it ends (from " + from + ", to " + to + ")");
        }
        List<CtaRow> rows = ctas(ruleset, from, to);
        if (reason != null) {
            rows = rows.stream().filter(r -> r.reason().equals(reason)).toList();
        }
        List<Figures> figures = figures(rows, groupBy);
        List<Situation> situations = situations(ruleset, from, to, within);
        Map<String, long[]> byGroup = new TreeMap<>();
        for (Situation s : situations) {
            String key = switch (groupBy) {
                case SEGMENT -> s.segment();
                case TEAM -> s.team();
                case CSM -> s.csmId();
            };
            long[] counts = byGroup.computeIfAbsent(key == null ? "(none)" : key, k -> new long[2]);
            counts[0]++;
            counts[1] += s.warned() ? 0 : 1;
        }
        List<Missed> missedBy = byGroup.entrySet().stream().map(e -> new Missed(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
        List<Situation> missed = situations.stream().filter(s -> !s.warned()).toList();
        return new Report(ruleset, from, to, groupBy, within.toDays(), figures, missedBy,
                missed.stream().limit(MISSED_LISTED).toList(), missed.size(), comparison(ruleset, within, reason));
    }

    /** The situations of the window (newest first), each marked warned or missed. */
    @Transactional
    public List<Situation> situations(String ruleset, Instant from, Instant to, Duration within) {
        @SuppressWarnings("unchecked")
        List<Object[]> result = em.createNativeQuery("""
                WITH s AS (
                    SELECT c.account_id, c.escalated_at AS at, 'ESCALATION' AS kind, c.reason AS detail, c.id AS cta_id,
                           c.ruleset_version AS version
                      FROM cta c
                     WHERE c.origin = 'RULE' AND c.ruleset = ?1 AND c.type = 'RISK'
                       AND c.escalated_at >= ?2 AND c.escalated_at < ?3
                    UNION ALL
                    SELECT c.account_id, c.opened_at, 'MANUAL', c.reason, c.id, NULL
                      FROM cta c
                     WHERE c.origin = 'MANUAL' AND c.type = 'RISK' AND c.opened_at >= ?2 AND c.opened_at < ?3
                    UNION ALL
                    SELECT r.account_id, r.at, 'HEALTH_RED', 'health turned RED from ' || r.previous, NULL, NULL
                      FROM account_turned_red r
                     WHERE r.at >= ?2 AND r.at < ?3
                )
                SELECT s.account_id, v.name, v.segment, v.csm_team, v.csm_id, s.kind, s.detail, s.at, s.cta_id, s.version,
                       EXISTS (SELECT 1 FROM cta w
                                WHERE w.account_id = s.account_id AND w.origin = 'RULE' AND w.type = 'RISK'
                                  AND w.ruleset = ?1 AND w.opened_at < s.at
                                  AND (w.closed_at IS NULL OR w.closed_at >= s.at - make_interval(secs => ?4))) AS warned
                  FROM s LEFT JOIN account_view v ON v.account_id = s.account_id
                 WHERE NOT coalesce(v.test, false)
                 ORDER BY s.at DESC, s.account_id""")
                .setParameter(1, ruleset).setParameter(2, from).setParameter(3, to)
                .setParameter(4, (double) within.toSeconds()).getResultList();
        List<ServingPeriod> periods = servingPeriods(ruleset);
        List<Situation> situations = new ArrayList<>();
        for (Object[] r : result) {
            Instant at = instant(r[7]);
            Integer version = r[9] != null ? ((Number) r[9]).intValue() : servingAt(periods, at);
            situations.add(new Situation((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    (String) r[5], (String) r[6], at, (String) r[8], version, (Boolean) r[10]));
        }
        return situations;
    }

    /** Every rule CTA of the ruleset opened in the window, with what people did to it. */
    List<CtaRow> ctas(String ruleset, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> result = em.createNativeQuery("""
                SELECT c.id, c.account_id, c.reason, c.status, c.close_reason, c.opened_at, c.closed_at, c.owner_csm_id,
                       coalesce(o.ruleset_version, c.ruleset_version), v.segment, v.csm_team,
                       (SELECT min(x.at) FROM (
                            SELECT h.at FROM cta_change h WHERE h.cta_id = c.id AND h.actor IS NOT NULL AND h.kind <> 'OPENED'
                            UNION ALL SELECT n.created_at FROM cta_note n WHERE n.cta_id = c.id
                            UNION ALL SELECT t.done_at FROM cta_task t WHERE t.cta_id = c.id AND t.done_at IS NOT NULL) x),
                       EXISTS (SELECT 1 FROM cta_change h WHERE h.cta_id = c.id AND h.kind = 'SNOOZED'),
                       EXISTS (SELECT 1 FROM cta_task t WHERE t.cta_id = c.id AND t.done_at IS NOT NULL)
                  FROM cta c
                  LEFT JOIN LATERAL (SELECT h.ruleset_version FROM cta_change h WHERE h.cta_id = c.id
                                      ORDER BY h.at, h.id LIMIT 1) o ON true
                  LEFT JOIN account_view v ON v.account_id = c.account_id
                 WHERE c.origin = 'RULE' AND c.ruleset = ?1 AND c.opened_at >= ?2 AND c.opened_at < ?3
                   AND NOT coalesce(v.test, false)""")
                .setParameter(1, ruleset).setParameter(2, from).setParameter(3, to).getResultList();
        List<CtaRow> rows = new ArrayList<>(result.size());
        for (Object[] r : result) {
            rows.add(new CtaRow((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], instant(r[5]),
                    instant(r[6]), (String) r[7], ((Number) r[8]).intValue(), (String) r[9], (String) r[10],
                    instant(r[11]), (Boolean) r[12], (Boolean) r[13]));
        }
        return rows;
    }

    static List<Figures> figures(List<CtaRow> rows, GroupBy groupBy) {
        record Key(String reason, int version, String group) {
        }
        Map<Key, List<CtaRow>> grouped = new TreeMap<>(Comparator.comparing(Key::reason)
                .thenComparing(Key::version, Comparator.reverseOrder()).thenComparing(Key::group));
        for (CtaRow row : rows) {
            grouped.computeIfAbsent(new Key(row.reason(), row.version(), row.group(groupBy)), k -> new ArrayList<>()).add(row);
        }
        List<Figures> figures = new ArrayList<>();
        grouped.forEach((key, group) -> figures.add(figures(key.reason(), key.version(), key.group(), group)));
        return figures;
    }

    private static Figures figures(String reason, int version, String group, List<CtaRow> rows) {
        long acted = 0;
        long dismissed = 0;
        long cleared = 0;
        long snoozed = 0;
        long open = 0;
        List<Long> minutes = new ArrayList<>();
        for (CtaRow row : rows) {
            acted += row.actedOn() ? 1 : 0;
            dismissed += row.dismissed() ? 1 : 0;
            cleared += row.clearedBySelf() ? 1 : 0;
            snoozed += row.snoozed() ? 1 : 0;
            open += "CLOSED".equals(row.status()) ? 0 : 1;
            if (row.firstAction() != null && !row.firstAction().isBefore(row.openedAt())) {
                minutes.add(Duration.between(row.openedAt(), row.firstAction()).toMinutes());
            }
        }
        return new Figures(reason, version, group, rows.size(), acted, dismissed, cleared, snoozed, open, median(minutes));
    }

    static Long median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    /** The active version against the one that served before it, each over all its CTAs and its serving time. */
    private Comparison comparison(String ruleset, Duration within, String reason) {
        List<ServingPeriod> periods = servingPeriods(ruleset);
        if (periods.isEmpty()) {
            return null;
        }
        ServingPeriod active = periods.get(periods.size() - 1);
        ServingPeriod previous = null;
        for (int i = periods.size() - 2; i >= 0 && previous == null; i--) {
            previous = periods.get(i).version() != active.version() ? periods.get(i) : null;
        }
        Instant earliest = previous != null ? previous.from() : active.from();
        List<CtaRow> rows = ctas(ruleset, Instant.EPOCH, Instant.now().plus(Duration.ofDays(3650)));
        List<Situation> situations = situations(ruleset, earliest.minus(Duration.ofDays(3650)),
                Instant.now().plus(Duration.ofDays(3650)), within);
        return new Comparison(versionFigures(active, rows, situations, reason),
                previous == null ? null : versionFigures(previous, rows, situations, reason));
    }

    private static VersionFigures versionFigures(ServingPeriod period, List<CtaRow> rows, List<Situation> situations,
            String reason) {
        List<CtaRow> mine = rows.stream().filter(r -> r.version() == period.version())
                .filter(r -> reason == null || r.reason().equals(reason)).toList();
        Figures f = figures(reason == null ? "(all)" : reason, period.version(), "(all)", mine);
        List<Situation> theirs = situations.stream()
                .filter(s -> s.version() != null && s.version() == period.version()).toList();
        long missed = theirs.stream().filter(s -> !s.warned()).count();
        return new VersionFigures(period.version(), period.from(), period.to(), f.raised(), f.actedOn(), f.dismissed(),
                f.clearedBySelf(), f.dismissedRate(), f.actedOnRate(), theirs.size(), missed);
    }

    /** A version and when it served (to null: it still does). */
    record ServingPeriod(int version, Instant from, Instant to) {
    }

    /** Who served when, in order, from the audit of activations and rollbacks. */
    List<ServingPeriod> servingPeriods(String ruleset) {
        @SuppressWarnings("unchecked")
        List<Object[]> result = em.createNativeQuery("""
                SELECT version, at FROM ruleset_audit
                 WHERE name = ?1 AND action IN ('ACTIVATED', 'ROLLED_BACK') ORDER BY at, id""")
                .setParameter(1, ruleset).getResultList();
        List<ServingPeriod> periods = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            Instant to = i + 1 < result.size() ? instant(result.get(i + 1)[1]) : null;
            periods.add(new ServingPeriod(((Number) result.get(i)[0]).intValue(), instant(result.get(i)[1]), to));
        }
        return periods;
    }

    /** The version serving at {@code at}: the last activated at or before it, else the first one ever. */
    static Integer servingAt(List<ServingPeriod> periods, Instant at) {
        Integer version = periods.isEmpty() ? null : periods.get(0).version();
        for (ServingPeriod p : periods) {
            if (!p.from().isAfter(at)) {
                version = p.version();
            }
        }
        return version;
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("not a time: " + value.getClass());
    }
}
