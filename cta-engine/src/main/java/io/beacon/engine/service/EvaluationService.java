package io.beacon.engine.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import java.sql.PreparedStatement;

import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.config.EngineConfig;
import io.beacon.engine.domain.AccountView;
import io.beacon.engine.domain.Cta;
import io.beacon.engine.domain.RuleFailure;
import io.beacon.engine.domain.TicketState;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.EvaluationTime;
import io.beacon.engine.rules.model.OpenCta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * Evaluates accounts: each account's facts go into a fresh (pooled, reset) session of the active
 * ruleset, and the rules' decisions become CTA changes. Drools keeps no state between evaluations;
 * everything it sees comes from the database, so a replay decides the same.
 * <p>
 * Many accounts are evaluated in one go with a handful of statements: their account rows are
 * locked in one query (in id order, so two evaluators never deadlock), and their tickets and
 * CTAs are read in one query each.
 */
@ApplicationScoped
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    private final ActiveRuleset rules;
    private final CtaService ctas;
    private final EntityManager em;
    private final Clock clock;
    private final EngineConfig config;
    private final TicketStateService tickets;
    private final Counter evaluated;
    private final Counter unknownAccount;
    private final Counter ruleError;

    EvaluationService(ActiveRuleset rules, CtaService ctas, MeterRegistry registry, EntityManager em, Clock clock,
            EngineConfig config, TicketStateService tickets) {
        this.config = config;
        this.rules = rules;
        this.ctas = ctas;
        this.em = em;
        this.clock = clock;
        this.tickets = tickets;
        this.evaluated = registry.counter("beacon.engine.evaluations", "outcome", "ok");
        this.unknownAccount = registry.counter("beacon.engine.evaluations", "outcome", "account_unknown");
        this.ruleError = registry.counter("beacon.engine.evaluations", "outcome", "rule_error");
    }

    /**
     * Takes a transaction-scoped lock per account (in a fixed order, so two callers never deadlock).
     * Ticket batches and account snapshots take it before they write, which closes a gap the row
     * lock alone leaves open: an account row that does not exist yet cannot be locked, so tickets
     * and their account arriving at the same moment could each be evaluated without the other.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAccounts(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("""
                    SELECT pg_advisory_xact_lock(k) FROM (
                        SELECT DISTINCT hashtextextended(a, 0) AS k FROM unnest(?::varchar[]) AS a ORDER BY 1) locks
                    """)) {
                lock.setArray(1, connection.createArrayOf("varchar", accountIds.toArray()));
                lock.execute();
            }
        });
    }

    /** Evaluates one account in the caller's transaction; an account the engine has not seen yet waits for its snapshot. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(String accountId) {
        evaluateAll(List.of(accountId), null);
    }

    /**
     * Evaluates the accounts in the caller's transaction.
     *
     * @param loadedTickets the accounts' tickets when the caller has them already (managed in this
     *        transaction), or null to read them
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluateAll(Collection<String> accountIds, Map<String, List<TicketState>> loadedTickets) {
        if (accountIds.isEmpty()) {
            return;
        }
        // The row locks serialise evaluations of one account (Kafka consumer, schedule, CSM actions).
        Set<String> wanted = new TreeSet<>(accountIds);
        List<AccountView> accounts = em
                .createQuery("from AccountView where accountId in ?1 order by accountId", AccountView.class)
                .setParameter(1, wanted)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        unknownAccount.increment(wanted.size() - accounts.size());
        if (accounts.isEmpty()) {
            return;
        }
        List<String> known = accounts.stream().map(a -> a.accountId).toList();
        Map<String, List<TicketState>> ticketsByAccount = loadedTickets;
        if (ticketsByAccount == null) {
            ticketsByAccount = new HashMap<>();
            for (var entry : tickets.load(known).entrySet()) {
                ticketsByAccount.put(entry.getKey(), new ArrayList<>(entry.getValue().values()));
            }
        }
        Map<String, List<Cta>> ctasByAccount = ctas.notClosed(known);
        ActiveRuleset.Compiled ruleset = rules.get();
        Instant now = clock.instant();
        CtaService.Changes changes = ctas.changes();
        for (AccountView account : accounts) {
            List<Cta> open = ctasByAccount.getOrDefault(account.accountId, List.of());
            Decisions decisions = decide(account, ticketsByAccount.getOrDefault(account.accountId, List.of()), open,
                    ruleset, now);
            if (decisions != null) {
                changes.apply(account, decisions.all(), open, ruleset.ruleset(), now);
            }
        }
        changes.publish();
    }

    /** @return the decisions, or null when the rules failed (recorded against rule and account) */
    private Decisions decide(AccountView account, List<TicketState> tickets, List<Cta> open,
            ActiveRuleset.Compiled ruleset, Instant now) {
        Decisions decisions = new Decisions();
        int limit = config.maxFiringsPerEvaluation();
        KieSession session = ruleset.sessions().newKieSession();
        try {
            session.setGlobal("decisions", decisions);
            session.insert(new AccountFact(account.accountId, account.segment, account.csmId, account.arr,
                    account.renewalDate));
            session.insert(ruleset.ruleset().params());
            session.insert(new EvaluationTime(now));
            session.insert(stats(account.accountId, tickets, now));
            for (Cta cta : open) {
                session.insert(new OpenCta(cta.id, cta.type, cta.reason, cta.status, cta.openedAt, cta.escalated));
            }
            int fired = session.fireAllRules(limit);
            if (fired >= limit) {
                fail(account.accountId, ruleset, null, "the evaluation reached the limit of " + limit
                        + " rule firings; rules may be triggering each other in a loop. No decision was applied.");
                return null;
            }
            String unusable = decisions.problem();
            if (unusable != null) {
                fail(account.accountId, ruleset, null, unusable + ". No decision was applied.");
                return null;
            }
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // A failing rule must not lose the event or stop other accounts: the ticket state is stored,
            // and the next event or the schedule evaluates the account again.
            Throwable cause = e;
            String rule = null;
            while (cause != null) {
                if (cause instanceof ConsequenceException consequence && consequence.getRule() != null) {
                    rule = consequence.getRule().getName();
                }
                cause = cause.getCause() == cause ? null : cause.getCause();
            }
            LOG.errorf(e, "Ruleset %s v%d failed for account %s", ruleset.ruleset().name(), ruleset.ruleset().version(),
                    account.accountId);
            fail(account.accountId, ruleset, rule, rootMessage(e));
            return null;
        } finally {
            session.dispose();
        }
        evaluated.increment();
        return decisions;
    }

    private void fail(String accountId, ActiveRuleset.Compiled ruleset, String rule, String message) {
        ruleError.increment();
        RuleFailure failure = new RuleFailure();
        failure.accountId = accountId;
        failure.ruleset = ruleset.ruleset().name();
        failure.rulesetVersion = ruleset.ruleset().version();
        failure.ruleName = storable(rule, 200);
        // What a rule throws is text of its own making; it must never be what makes the batch fail.
        failure.message = storable(message, 2_000);
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

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The per-account numbers rules read, at {@code now}; shared with backtests. */
    public static AccountStats stats(String accountId, Collection<TicketState> tickets, Instant now) {
        List<String> openIds = new ArrayList<>();
        Map<String, Integer> reopens = new HashMap<>();
        int urgent = 0;
        int high = 0;
        int breached = 0;
        int last24h = 0;
        int last30d = 0;
        Instant dayAgo = now.minus(Duration.ofHours(24));
        Instant monthAgo = now.minus(Duration.ofDays(30));
        for (TicketState t : tickets) {
            if (t.deleted) {
                continue;
            }
            if (t.status.isOpen()) {
                openIds.add(t.ticketId);
                urgent += t.priority == TicketEvent.Priority.URGENT ? 1 : 0;
                high += t.priority == TicketEvent.Priority.HIGH ? 1 : 0;
                breached += t.slaBreached ? 1 : 0;
                reopens.put(t.ticketId, t.reopenCount);
            }
            if (t.createdAt != null && !t.createdAt.isAfter(now)) {
                last24h += t.createdAt.isAfter(dayAgo) ? 1 : 0;
                last30d += t.createdAt.isAfter(monthAgo) ? 1 : 0;
            }
        }
        openIds.sort(null);
        return new AccountStats(accountId, openIds.size(), urgent, high, breached, openIds, reopens, last24h, last30d);
    }
}
