package io.beacon.engine.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.kie.api.KieServices;
import org.kie.api.command.KieCommands;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.StatelessKieSession;
import org.kie.api.runtime.rule.ConsequenceException;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.domain.AccountView;
import io.beacon.engine.config.EngineConfig;
import io.beacon.engine.domain.Cta;
import io.beacon.engine.domain.RuleFailure;
import io.beacon.engine.domain.TicketState;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.EvaluationTime;
import io.beacon.engine.rules.model.OpenCta;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * Evaluates one account: its facts go into a fresh stateless session of the active ruleset, and
 * the rules' decisions become CTA changes. Drools keeps no state between evaluations; everything
 * it sees comes from the database, so a replay decides the same.
 */
@ApplicationScoped
public class EvaluationService {

    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    private final ActiveRuleset rules;
    private final CtaService ctas;
    private final MeterRegistry registry;
    private final EntityManager em;
    private final Clock clock;
    private final EngineConfig config;

    EvaluationService(ActiveRuleset rules, CtaService ctas, MeterRegistry registry, EntityManager em, Clock clock,
            EngineConfig config) {
        this.config = config;
        this.rules = rules;
        this.ctas = ctas;
        this.registry = registry;
        this.em = em;
        this.clock = clock;
    }

    /** Evaluates in the caller's transaction; an account the engine has not seen yet waits for its snapshot. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(String accountId) {
        // The row lock serialises evaluations of one account (Kafka consumer, schedule, CSM actions).
        AccountView account = em.find(AccountView.class, accountId, LockModeType.PESSIMISTIC_WRITE);
        if (account == null) {
            registry.counter("beacon.engine.evaluations", "outcome", "account_unknown").increment();
            return;
        }
        ActiveRuleset.Compiled ruleset = rules.get();
        Instant now = clock.instant();
        List<Object> facts = new ArrayList<>();
        facts.add(new AccountFact(account.accountId, account.segment, account.csmId, account.arr, account.renewalDate));
        facts.add(ruleset.ruleset().params());
        facts.add(new EvaluationTime(now));
        facts.add(stats(accountId, now));
        for (Cta cta : ctas.notClosed(accountId)) {
            facts.add(new OpenCta(cta.id, cta.type, cta.reason, cta.status, cta.openedAt, cta.escalated));
        }

        Decisions decisions = new Decisions();
        int limit = config.maxFiringsPerEvaluation();
        try {
            StatelessKieSession session = ruleset.kieBase().newStatelessKieSession();
            session.setGlobal("decisions", decisions);
            AtomicInteger fired = new AtomicInteger();
            session.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    fired.incrementAndGet();
                }
            });
            KieCommands commands = KieServices.Factory.get().getCommands();
            session.execute(commands.newBatchExecution(List.of(commands.newInsertElements(facts),
                    commands.newFireAllRules(limit))));
            if (fired.get() >= limit) {
                fail(account.accountId, ruleset, null, "the evaluation reached the limit of " + limit
                        + " rule firings; rules may be triggering each other in a loop. No decision was applied.");
                return;
            }
        } catch (RuntimeException e) {
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
                    accountId);
            fail(account.accountId, ruleset, rule, rootMessage(e));
            return;
        }
        registry.counter("beacon.engine.evaluations", "outcome", "ok").increment();
        ctas.apply(account, decisions.all(), ruleset.ruleset(), now);
    }

    private void fail(String accountId, ActiveRuleset.Compiled ruleset, String rule, String message) {
        registry.counter("beacon.engine.evaluations", "outcome", "rule_error").increment();
        RuleFailure failure = new RuleFailure();
        failure.accountId = accountId;
        failure.ruleset = ruleset.ruleset().name();
        failure.rulesetVersion = ruleset.ruleset().version();
        failure.ruleName = rule;
        failure.message = message;
        failure.occurredAt = clock.instant();
        failure.persist();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static AccountStats stats(String accountId, Instant now) {
        List<TicketState> tickets = TicketState.list("accountId = ?1 and deleted = false", accountId);
        List<String> openIds = new ArrayList<>();
        Map<String, Integer> reopens = new HashMap<>();
        int urgent = 0;
        int high = 0;
        int breached = 0;
        int last24h = 0;
        int last30d = 0;
        for (TicketState t : tickets) {
            if (t.status.isOpen()) {
                openIds.add(t.ticketId);
                urgent += t.priority == TicketEvent.Priority.URGENT ? 1 : 0;
                high += t.priority == TicketEvent.Priority.HIGH ? 1 : 0;
                breached += t.slaBreached ? 1 : 0;
                reopens.put(t.ticketId, t.reopenCount);
            }
            if (t.createdAt != null && !t.createdAt.isAfter(now)) {
                last24h += t.createdAt.isAfter(now.minus(Duration.ofHours(24))) ? 1 : 0;
                last30d += t.createdAt.isAfter(now.minus(Duration.ofDays(30))) ? 1 : 0;
            }
        }
        openIds.sort(null);
        return new AccountStats(accountId, openIds.size(), urgent, high, breached, openIds, reopens, last24h, last30d);
    }
}
