package io.beacon.engine.evaluation;

import io.beacon.engine.rules.Ruleset;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.rules.RulesConfig;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.accountview.AccountView;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.tickets.TicketState;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.cta.CtaService;
import io.beacon.engine.tickets.TicketStateService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The live engine's side of {@link Timeline}: reads the states of the accounts a batch touches
 * (tickets, CTAs that are not closed, clocks) with a handful of statements, lets the timeline apply
 * the events one by one, and writes back what changed — tickets, CTAs, clocks and the CTA events
 * for the outbox — in the caller's transaction. Set-based reads and writes, event-by-event
 * decisions: the history is the one a backtest of the same events gives.
 */
@ApplicationScoped
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    public enum Outcome {
        APPLIED, DUPLICATE, STALE,
        /** Kept until the account's snapshot arrives. */
        PARKED
    }

    /** An event and its event time ({@link Timeline#eventTime}). */
    public record TimedEvent(TicketEvent event, Instant at) {
    }

    private final ActiveRuleset rules;
    private final TicketStateService tickets;
    private final CtaService ctas;
    private final EntityManager em;
    private final Clock clock;
    private final RulesConfig config;
    private final CtaReconciler reconciler;
    private final ObjectMapper json;
    private final Counter evaluated;
    private final Counter ruleError;

    EvaluationService(ActiveRuleset rules, TicketStateService tickets, CtaService ctas, EntityManager em, Clock clock,
            RulesConfig config, ObjectMapper json, MeterRegistry registry) {
        this.rules = rules;
        this.tickets = tickets;
        this.ctas = ctas;
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.reconciler = new CtaReconciler(json);
        this.json = json;
        this.evaluated = registry.counter("beacon.engine.evaluations", "outcome", "ok");
        this.ruleError = registry.counter("beacon.engine.evaluations", "outcome", "rule_error");
    }

    /**
     * Takes a transaction-scoped lock per account (in a fixed order, so two callers never deadlock).
     * Every writer of an account's state — ticket batches, snapshots, the schedule, CSM actions —
     * takes it first, so evaluations of one account never interleave.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAccounts(Collection<String> accountIds) {
        if (!accountIds.isEmpty()) {
            em.unwrap(Session.class).doWork(connection -> lockAccounts(connection, accountIds));
        }
    }

    /** {@link #lockAccounts(Collection)} on a plain connection (the benchmark's database floor takes the same locks). */
    public static void lockAccounts(Connection connection, Collection<String> accountIds) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("""
                SELECT pg_advisory_xact_lock(k) FROM (
                    SELECT DISTINCT hashtextextended(a, 0) AS k FROM unnest(?::varchar[]) AS a ORDER BY 1) locks
                """)) {
            lock.setArray(1, connection.createArrayOf("varchar", accountIds.toArray()));
            lock.execute();
        }
    }

    /**
     * Applies the events in their order, in the caller's transaction: each one that was not seen
     * before moves its account's timeline on. Events for one account must come in partition order.
     *
     * @return how many events were applied, duplicates or stale
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Outcome, Integer> apply(List<TimedEvent> events) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        Set<String> accountIds = new TreeSet<>();
        events.forEach(e -> accountIds.add(e.event().accountId()));
        lockAccounts(accountIds);
        Set<String> firstTime = tickets.recordFirstSeen(events.stream().map(TimedEvent::event).toList());
        List<TimedEvent> fresh = new ArrayList<>(firstTime.size());
        for (TimedEvent event : events) {
            if (firstTime.remove(event.event().eventId())) {
                fresh.add(event);
            } else {
                counts.merge(Outcome.DUPLICATE, 1, Integer::sum);
            }
        }
        Set<String> touched = new LinkedHashSet<>();
        fresh.forEach(e -> touched.add(e.event().accountId()));
        Map<String, AccountState> states = load(touched);
        Timeline timeline = timeline();
        List<CtaChange> changes = new ArrayList<>();
        List<TimedEvent> parked = new ArrayList<>();
        for (TimedEvent event : fresh) {
            AccountState state = states.get(event.event().accountId());
            if (state.account() == null && state.clock() == null) {
                // Never known yet: the ticket is kept, and the event waits to be evaluated in its turn.
                Timeline.applyTicket(state, event.event());
                parked.add(event);
                counts.merge(Outcome.PARKED, 1, Integer::sum);
                continue;
            }
            boolean applied = timeline.apply(state, event.event(), event.at(), changes);
            counts.merge(applied ? Outcome.APPLIED : Outcome.STALE, 1, Integer::sum);
        }
        park(parked);
        save(states.values(), changes, timeline);
        return counts;
    }

    /**
     * The accounts' snapshots changed. An account seen for the first time has its parked events
     * replayed from the start, in their order, exactly as if the snapshot had come first; an account
     * known before is evaluated at its clock with what it now is.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void snapshotChanged(Collection<String> accountIds) {
        lockAccounts(accountIds);
        Map<String, AccountState> states = load(accountIds);
        Map<String, List<TimedEvent>> parked = unpark(states.values().stream()
                .filter(s -> s.account() != null && s.clock() == null).map(AccountState::accountId).toList());
        Timeline timeline = timeline();
        List<CtaChange> changes = new ArrayList<>();
        for (Map.Entry<String, List<TimedEvent>> replay : parked.entrySet()) {
            AccountState fresh = AccountState.empty(replay.getKey(), states.get(replay.getKey()).account());
            states.put(replay.getKey(), fresh);
            for (TimedEvent event : replay.getValue()) {
                timeline.apply(fresh, event.event(), event.at(), changes);
            }
        }
        for (AccountState state : states.values()) {
            timeline.evaluateAtClock(state, changes);
        }
        save(states.values(), changes, timeline);
    }

    /** How many events wait for their account's snapshot. */
    @Transactional
    public long parkedEvents() {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM parked_event").getSingleResult()).longValue();
    }

    private void park(List<TimedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO parked_event (account_id, event_at, payload, parked_at) VALUES (?, ?, ?, ?)")) {
                OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
                for (TimedEvent event : events) {
                    insert.setString(1, event.event().accountId());
                    insert.setObject(2, event.at().atOffset(ZoneOffset.UTC));
                    insert.setString(3, write(event.event()));
                    insert.setObject(4, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /** Takes the accounts' parked events out, in the order they were parked. */
    private Map<String, List<TimedEvent>> unpark(List<String> accountIds) {
        Map<String, List<TimedEvent>> byAccount = new HashMap<>();
        if (accountIds.isEmpty()) {
            return byAccount;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("""
                    DELETE FROM parked_event WHERE account_id = ANY(?) RETURNING id, account_id, event_at, payload
                    """)) {
                delete.setArray(1, connection.createArrayOf("varchar", accountIds.toArray()));
                List<Object[]> rows = new ArrayList<>();
                try (ResultSet r = delete.executeQuery()) {
                    while (r.next()) {
                        rows.add(new Object[] { r.getLong(1), r.getString(2), r.getObject(3, OffsetDateTime.class),
                                r.getString(4) });
                    }
                }
                rows.sort(java.util.Comparator.comparingLong(row -> (Long) row[0]));
                for (Object[] row : rows) {
                    byAccount.computeIfAbsent((String) row[1], a -> new ArrayList<>()).add(new TimedEvent(
                            read((String) row[3]), ((OffsetDateTime) row[2]).toInstant()));
                }
            }
        });
        return byAccount;
    }

    private String write(TicketEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private TicketEvent read(String payload) {
        try {
            return json.readValue(payload, TicketEvent.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets time pass for the accounts: evaluates each at its due instants up to and including {@code until}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void advanceThrough(Collection<String> accountIds, Instant until) {
        lockAccounts(accountIds);
        Map<String, AccountState> states = load(accountIds);
        Timeline timeline = timeline();
        List<CtaChange> changes = new ArrayList<>();
        for (AccountState state : states.values()) {
            timeline.advanceThrough(state, until, changes);
        }
        save(states.values(), changes, timeline);
    }

    /**
     * Claims up to {@code max} accounts that are due at or before {@code until}, the most overdue first,
     * that no one else is evaluating: each is locked without waiting (an account another instance's
     * job or a live batch holds is left to it) and checked to be still due under its lock, so an
     * account whose due instant another instance has just evaluated is not evaluated again. The locks
     * last until the caller's transaction ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> claimDue(Instant until, int max, Collection<String> skip) {
        @SuppressWarnings("unchecked")
        List<String> candidates = em.createNativeQuery("SELECT account_id FROM account_clock WHERE next_due_at <= ?1 "
                + "AND NOT (account_id = ANY(?2)) ORDER BY next_due_at, account_id LIMIT ?3", String.class)
                .setParameter(1, until.atOffset(ZoneOffset.UTC))
                .setParameter(2, skip.toArray(String[]::new))
                .setParameter(3, max * 4)
                .getResultList();
        return claim(candidates, until, max);
    }

    /**
     * Of {@code accounts}, up to {@code max} that are still due at or before {@code until} and that no
     * one else holds, locked for the caller's transaction (see {@link #claimDue}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> claim(List<String> accounts, Instant until, int max) {
        List<String> locked = new ArrayList<>(max);
        for (String account : accounts) {
            if (locked.size() == max) {
                break;
            }
            if ((Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(hashtextextended(?1, 0))")
                    .setParameter(1, account).getSingleResult()) {
                locked.add(account);
            }
        }
        if (locked.isEmpty()) {
            return locked;
        }
        @SuppressWarnings("unchecked")
        List<String> stillDue = em.createNativeQuery("SELECT account_id FROM account_clock WHERE account_id = ANY(?1) "
                + "AND next_due_at <= ?2 ORDER BY account_id", String.class)
                .setParameter(1, locked.toArray(String[]::new))
                .setParameter(2, until.atOffset(ZoneOffset.UTC))
                .getResultList();
        return stillDue;
    }

    private Timeline timeline() {
        return new Timeline(rules.get(), reconciler, config.maxFiringsPerEvaluation(), this::failed);
    }

    /** The accounts' states, in account id order; accounts the engine has no snapshot of have a null account. */
    private Map<String, AccountState> load(Collection<String> accountIds) {
        Map<String, AccountState> states = new LinkedHashMap<>();
        if (accountIds.isEmpty()) {
            return states;
        }
        Set<String> ids = new TreeSet<>(accountIds);
        Map<String, AccountState.Account> accounts = new HashMap<>();
        // Read only: evaluation never changes an account, so the commit need not check them for changes.
        for (AccountView view : em.createQuery("from AccountView where accountId in ?1", AccountView.class)
                .setParameter(1, ids).setHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).getResultList()) {
            accounts.put(view.accountId, new AccountState.Account(view.accountId, view.segment, view.csmId,
                    view.csmTeam, view.arr, view.renewalDate));
        }
        Map<String, Map<String, TicketState>> ticketsByAccount = tickets.load(ids);
        Map<String, List<Cta>> ctasByAccount = ctas.notClosed(ids);
        Map<String, StoredClock> clocks = clocks(ids);
        for (String id : ids) {
            StoredClock clock = clocks.getOrDefault(id, StoredClock.NEVER);
            states.put(id, new AccountState(id, accounts.get(id), ticketsByAccount.getOrDefault(id, Map.of()),
                    ctasByAccount.getOrDefault(id, List.of()), clock.evaluatedAt(), clock.recheckAt()));
        }
        return states;
    }

    /** An account's clock as stored: when it was last evaluated, and when its rules asked to be evaluated again. */
    private record StoredClock(Instant evaluatedAt, Instant recheckAt) {
        static final StoredClock NEVER = new StoredClock(null, null);
    }

    private Map<String, StoredClock> clocks(Set<String> ids) {
        Map<String, StoredClock> clocks = new HashMap<>();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT account_id, evaluated_at, recheck_at FROM account_clock WHERE account_id = ANY(?)")) {
                select.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        OffsetDateTime recheck = rows.getObject(3, OffsetDateTime.class);
                        clocks.put(rows.getString(1), new StoredClock(rows.getObject(2, OffsetDateTime.class).toInstant(),
                                recheck == null ? null : recheck.toInstant()));
                    }
                }
            }
        });
        return clocks;
    }

    /** Writes back tickets, new CTAs (changed ones are managed), clocks with their next due instant, and the CTA events. */
    private void save(Collection<AccountState> states, List<CtaChange> changes, Timeline timeline) {
        List<TicketState> changedTickets = new ArrayList<>();
        List<AccountState> clocked = new ArrayList<>();
        // A CTA closed here is written before one opened here for the same reason: at most one may be open.
        if (states.stream().anyMatch(AccountState::reopenedAReason)) {
            em.flush();
        }
        for (AccountState state : states) {
            changedTickets.addAll(state.changedTickets());
            state.createdCtas().forEach(cta -> cta.persist());
            if (state.clock() != null) {
                clocked.add(state);
            }
        }
        tickets.write(changedTickets);
        writeClocks(clocked);
        ctas.publish(changes);
        evaluated.increment(timeline.evaluations());
    }

    /** One statement for all clocks, whatever the batch size. */
    private void writeClocks(List<AccountState> states) {
        if (!states.isEmpty()) {
            em.unwrap(Session.class).doWork(connection -> writeClocks(connection, states));
        }
    }

    /** {@link #writeClocks(List)} on a plain connection. */
    public static void writeClocks(Connection connection, List<AccountState> states) throws SQLException {
        String[] ids = new String[states.size()];
        OffsetDateTime[] clocks = new OffsetDateTime[states.size()];
        OffsetDateTime[] due = new OffsetDateTime[states.size()];
        OffsetDateTime[] rechecks = new OffsetDateTime[states.size()];
        for (int i = 0; i < states.size(); i++) {
            AccountState state = states.get(i);
            ids[i] = state.accountId();
            clocks[i] = utc(state.clock());
            due[i] = utc(Timeline.nextDue(state));
            rechecks[i] = utc(state.recheckAt());
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO account_clock (account_id, evaluated_at, next_due_at, recheck_at)
                SELECT * FROM unnest(?::varchar[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[])
                ON CONFLICT (account_id) DO UPDATE SET evaluated_at = EXCLUDED.evaluated_at,
                    next_due_at = EXCLUDED.next_due_at, recheck_at = EXCLUDED.recheck_at
                """)) {
            upsert.setArray(1, connection.createArrayOf("varchar", ids));
            upsert.setArray(2, connection.createArrayOf("timestamptz", clocks));
            upsert.setArray(3, connection.createArrayOf("timestamptz", due));
            upsert.setArray(4, connection.createArrayOf("timestamptz", rechecks));
            upsert.execute();
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private void failed(AccountState state, ActiveRuleset.Compiled ruleset, String rule, String message) {
        ruleError.increment();
        LOG.warnf("Ruleset %s v%d failed for account %s: %s", ruleset.ruleset().name(), ruleset.ruleset().version(),
                state.accountId(), message);
        RuleFailure failure = new RuleFailure();
        failure.accountId = state.accountId();
        failure.ruleset = ruleset.ruleset().name();
        failure.rulesetVersion = ruleset.ruleset().version();
        failure.ruleName = storable(rule, 200);
        // What a rule throws is text of its own making; it must never be what makes the batch fail.
        failure.message = storable(message + " No decision was applied.", 2_000);
        failure.occurredAt = clock.instant();
        failure.persist();
    }

    /** The text without what PostgreSQL refuses (NUL, unpaired surrogates), cut to {@code max} characters. */
    static String storable(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                out.append(c).append(text.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
