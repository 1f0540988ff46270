package io.beacon.engine.service;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.beacon.engine.domain.Cta;
import io.beacon.engine.domain.TicketState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Time passes without events: snoozes end, CTAs age, renewals come closer. This job ends due
 * snoozes and evaluates every account with open tickets or CTAs, one transaction per account, so
 * one failing account does not hold up the others.
 */
@ApplicationScoped
public class ReevaluationJob {

    private static final Logger LOG = Logger.getLogger(ReevaluationJob.class);

    private final CtaActions actions;
    private final EvaluationService evaluation;

    ReevaluationJob(CtaActions actions, EvaluationService evaluation) {
        this.actions = actions;
        this.evaluation = evaluation;
    }

    @Scheduled(every = "${beacon.engine.reevaluate-every:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    /** @return how many accounts were evaluated */
    public int run() {
        Set<String> accounts = new LinkedHashSet<>(actions.endSnoozes());
        accounts.addAll(QuarkusTransaction.requiringNew().call(ReevaluationJob::accountsWithOpenWork));
        int evaluated = 0;
        for (String account : accounts) {
            try {
                QuarkusTransaction.requiringNew().run(() -> evaluation.evaluate(account));
                evaluated++;
            } catch (RuntimeException e) {
                LOG.warnf("Re-evaluation of %s failed, will retry next run: %s", account, e.getMessage());
            }
        }
        return evaluated;
    }

    private static List<String> accountsWithOpenWork() {
        List<String> withCtas = Cta.<Cta> list("status <> ?1", Cta.CLOSED).stream().map(c -> c.accountId).toList();
        List<String> withTickets = TicketState.getEntityManager()
                .createQuery("select distinct t.accountId from TicketState t where t.deleted = false and t.status not in "
                        + "(io.beacon.contracts.TicketEvent.Status.SOLVED, io.beacon.contracts.TicketEvent.Status.CLOSED)",
                        String.class)
                .getResultList();
        Set<String> all = new LinkedHashSet<>(withCtas);
        all.addAll(withTickets);
        return List.copyOf(all);
    }
}
