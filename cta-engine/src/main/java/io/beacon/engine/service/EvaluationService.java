package io.beacon.engine.service;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;
import org.kie.api.runtime.StatelessKieSession;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.domain.AccountView;
import io.beacon.engine.domain.Cta;
import io.beacon.engine.domain.TicketState;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.OpenCta;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
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

    EvaluationService(ActiveRuleset rules, CtaService ctas, MeterRegistry registry) {
        this.rules = rules;
        this.ctas = ctas;
        this.registry = registry;
    }

    /** Evaluates in the caller's transaction; an account the engine has not seen yet waits for its snapshot. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(String accountId) {
        AccountView account = AccountView.findById(accountId);
        if (account == null) {
            registry.counter("beacon.engine.evaluations", "outcome", "account_unknown").increment();
            return;
        }
        ActiveRuleset.Compiled ruleset = rules.get();
        List<Object> facts = new ArrayList<>();
        facts.add(new AccountFact(account.accountId, account.segment, account.csmId, account.arr, account.renewalDate));
        facts.add(ruleset.ruleset().params());
        facts.add(stats(accountId));
        for (Cta cta : ctas.notClosed(accountId)) {
            facts.add(new OpenCta(cta.id, cta.type, cta.reason, cta.status, cta.openedAt));
        }

        Decisions decisions = new Decisions();
        try {
            StatelessKieSession session = ruleset.kieBase().newStatelessKieSession();
            session.setGlobal("decisions", decisions);
            session.execute(facts);
        } catch (RuntimeException e) {
            // A failing rule must not lose the event or stop other accounts: the ticket state is stored,
            // and the next event or the schedule evaluates the account again.
            LOG.errorf(e, "Ruleset %s v%d failed for account %s", ruleset.ruleset().name(), ruleset.ruleset().version(),
                    accountId);
            registry.counter("beacon.engine.evaluations", "outcome", "rule_error").increment();
            return;
        }
        registry.counter("beacon.engine.evaluations", "outcome", "ok").increment();
        ctas.apply(account, decisions.all(), ruleset.ruleset());
    }

    private static AccountStats stats(String accountId) {
        List<TicketState> tickets = TicketState.list("accountId = ?1 and deleted = false", accountId);
        List<String> openIds = new ArrayList<>();
        int urgent = 0;
        int high = 0;
        for (TicketState t : tickets) {
            if (t.status.isOpen()) {
                openIds.add(t.ticketId);
                urgent += t.priority == TicketEvent.Priority.URGENT ? 1 : 0;
                high += t.priority == TicketEvent.Priority.HIGH ? 1 : 0;
            }
        }
        openIds.sort(null);
        return new AccountStats(accountId, openIds.size(), urgent, high, openIds);
    }
}
