package io.beacon.engine.service;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.beacon.engine.domain.Cta;
import io.beacon.engine.domain.TicketState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Time passes without events: snoozes end, CTAs age, renewals come closer. This job ends due
 * snoozes and evaluates every account with open tickets or CTAs, in chunks of accounts with one
 * transaction each (cheap: a chunk costs a few statements). If a chunk fails, its accounts are
 * retried one by one, so one failing account does not hold up the others.
 */
@ApplicationScoped
public class ReevaluationJob {

    private static final Logger LOG = Logger.getLogger(ReevaluationJob.class);
    /** Small enough that a chunk holds its account locks only briefly: live events for those accounts wait on it. */
    private static final int CHUNK = 50;

    private final CtaActions actions;
    private final EvaluationService evaluation;
    private volatile boolean stopping;

    ReevaluationJob(CtaActions actions, EvaluationService evaluation) {
        this.actions = actions;
        this.evaluation = evaluation;
    }

    @Scheduled(every = "${beacon.engine.reevaluate-every:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    /** A run that is under way when the engine stops leaves the rest for the next start. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** @return how many accounts were evaluated */
    public int run() {
        Set<String> accounts = new LinkedHashSet<>(actions.endSnoozes());
        accounts.addAll(QuarkusTransaction.requiringNew().call(ReevaluationJob::accountsWithOpenWork));
        List<String> all = List.copyOf(accounts);
        int evaluated = 0;
        for (int from = 0; from < all.size() && !stopping; from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try {
                QuarkusTransaction.requiringNew().run(() -> evaluation.evaluateAll(chunk, null));
                evaluated += chunk.size();
            } catch (RuntimeException chunkFailed) {
                for (String account : chunk) {
                    try {
                        QuarkusTransaction.requiringNew().run(() -> evaluation.evaluate(account));
                        evaluated++;
                    } catch (RuntimeException e) {
                        LOG.warnf("Re-evaluation of %s failed, will retry next run: %s", account, e.getMessage());
                    }
                }
            }
        }
        return evaluated;
    }

    private static List<String> accountsWithOpenWork() {
        List<String> withCtas = Cta.getEntityManager()
                .createQuery("select distinct c.accountId from Cta c where c.status <> :closed", String.class)
                .setParameter("closed", Cta.CLOSED)
                .getResultList();
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
