package io.beacon.engine.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Time passes without events: snoozes end, CTAs age, renewals come closer. This job lets it pass for
 * the accounts that have something due ({@code account_clock.next_due_at}, indexed), the most overdue
 * first, evaluating each at every due instant up to the horizon ({@link Backlog#horizon()}), in chunks
 * of accounts with one transaction each. Its cost follows what is due, not how many accounts there are.
 * <p>
 * Every instance runs it, and they share the work: a chunk is claimed ({@link EvaluationService#claimDue})
 * — accounts locked without waiting and checked to be still due under the lock — so each due instant of
 * an account is evaluated by exactly one instance, once. If a chunk fails, its accounts are retried one
 * by one, so one failing account does not hold up the others. While the engine is catching up on old
 * events it waits: those events come first in event time.
 */
@ApplicationScoped
public class ReevaluationJob {

    private static final Logger LOG = Logger.getLogger(ReevaluationJob.class);
    /**
     * Small enough that a chunk holds its account locks only briefly: live events for those accounts
     * wait on it, and after a long pause one account may have days of due instants to go through.
     */
    private static final int CHUNK = 5;

    private final EvaluationService evaluation;
    private final Backlog backlog;
    private final Counter movedOn;
    private volatile boolean stopping;

    ReevaluationJob(EvaluationService evaluation, Backlog backlog, MeterRegistry registry) {
        this.evaluation = evaluation;
        this.backlog = backlog;
        this.movedOn = Counter.builder("beacon.engine.schedule.accounts")
                .description("Accounts this instance moved through their due instants (time passing without events)")
                .register(registry);
    }

    @Scheduled(every = "${beacon.engine.reevaluate-every:10s}", delayed = "${beacon.engine.reevaluate-delay:30s}",
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
        return run(backlog.horizon()).size();
    }

    /**
     * Lets time pass up to {@code horizon} for every account due by then that no other instance is
     * evaluating.
     *
     * @return the accounts this call moved on, in the order it did
     */
    public List<String> run(Instant horizon) {
        List<String> advanced = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        while (!stopping) {
            List<String> claimed;
            try {
                claimed = QuarkusTransaction.requiringNew().call(() -> {
                    List<String> chunk = evaluation.claimDue(horizon, CHUNK, failed);
                    evaluation.advanceThrough(chunk, horizon);
                    return chunk;
                });
                advanced.addAll(claimed);
                movedOn.increment(claimed.size());
            } catch (RuntimeException chunkFailed) {
                // One account may be what fails: go through the chunk's accounts one at a time.
                claimed = QuarkusTransaction.requiringNew().call(() -> evaluation.claimDue(horizon, CHUNK, failed));
                for (String account : claimed) {
                    try {
                        if (QuarkusTransaction.requiringNew().call(() -> {
                            boolean mine = !evaluation.claim(List.of(account), horizon, 1).isEmpty();
                            if (mine) {
                                evaluation.advanceThrough(List.of(account), horizon);
                            }
                            return mine;
                        })) {
                            advanced.add(account);
                            movedOn.increment();
                        }
                    } catch (RuntimeException e) {
                        failed.add(account);
                        LOG.warnf("Time could not pass for %s, will retry next run: %s", account, e.getMessage());
                    }
                }
            }
            if (claimed.isEmpty()) {
                break; // nothing due, or what is due is being evaluated elsewhere right now
            }
        }
        return advanced;
    }
}
