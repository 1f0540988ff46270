package io.beacon.engine.evaluation;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Time passes without events: snoozes end, CTAs age, renewals come closer. This job lets it pass for
 * the accounts that have something due ({@code account_clock.next_due_at}), evaluating each at every
 * due instant up to the horizon ({@link Backlog#horizon()}), in chunks of accounts with one
 * transaction each. If a chunk fails, its accounts are retried one by one, so one failing account
 * does not hold up the others. While the engine is catching up on old events it waits: those events
 * come first in event time.
 */
@ApplicationScoped
public class ReevaluationJob {

    private static final Logger LOG = Logger.getLogger(ReevaluationJob.class);
    /**
     * Small enough that a chunk holds its account locks only briefly: live events for those accounts
     * wait on it, and after a long pause one account may have days of due instants to go through.
     */
    private static final int CHUNK = 5;
    /** Accounts read per query for due instants. */
    private static final int PAGE = 5_000;

    private final EvaluationService evaluation;
    private final Backlog backlog;
    private volatile boolean stopping;

    ReevaluationJob(EvaluationService evaluation, Backlog backlog) {
        this.evaluation = evaluation;
        this.backlog = backlog;
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

    /** @return how many accounts time passed for (0 while the engine is catching up on old events) */
    public int run() {
        if (backlog.catchingUp()) {
            LOG.debug("Consuming old events: time passes for accounts once they are read");
            return 0;
        }
        Instant horizon = backlog.horizon();
        int advanced = 0;
        java.util.Set<String> failed = new java.util.HashSet<>();
        while (!stopping) {
            List<String> due = QuarkusTransaction.requiringNew().call(() -> evaluation.due(horizon, PAGE + failed.size()))
                    .stream().filter(a -> !failed.contains(a)).toList();
            if (due.isEmpty()) {
                break;
            }
            for (int from = 0; from < due.size() && !stopping; from += CHUNK) {
                List<String> chunk = due.subList(from, Math.min(due.size(), from + CHUNK));
                try {
                    QuarkusTransaction.requiringNew().run(() -> evaluation.advanceThrough(chunk, horizon));
                    advanced += chunk.size();
                } catch (RuntimeException chunkFailed) {
                    for (String account : chunk) {
                        try {
                            QuarkusTransaction.requiringNew().run(() -> evaluation.advanceThrough(List.of(account), horizon));
                            advanced++;
                        } catch (RuntimeException e) {
                            failed.add(account);
                            LOG.warnf("Time could not pass for %s, will retry next run: %s", account, e.getMessage());
                        }
                    }
                }
            }
        }
        return advanced;
    }
}
