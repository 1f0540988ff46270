package io.beacon.platform.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;

/**
 * Keeps the tables that only grow — event ids seen, relayed outbox rows, delivery logs, finished
 * backtests — within their documented ages. Every instance runs it; a batch skips rows another
 * instance is deleting, so replicas share the work instead of waiting on each other. Ages are measured
 * against the database's clock, which wrote most of these timestamps.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final EntityManager em;
    private final Instance<RetentionRules> sources;
    private final RetentionConfig config;
    private final MeterRegistry registry;

    Retention(EntityManager em, Instance<RetentionRules> sources, RetentionConfig config, MeterRegistry registry) {
        this.em = em;
        this.sources = sources;
        this.config = config;
        this.registry = registry;
    }

    /**
     * A wrong age would delete what is still needed (a negative one: everything): refuse to start with
     * one. An age for a rule this service does not have is only logged — the services share one
     * configuration (beacon-config), so it is likely another service's.
     */
    void check(@Observes StartupEvent started) {
        List<RetentionRule> rules = new ArrayList<>();
        sources.forEach(source -> rules.addAll(source.rules()));
        List<String> names = rules.stream().map(RetentionRule::name).toList();
        config.keep().keySet().stream().filter(name -> !names.contains(name)).forEach(name -> LOG.infof(
                "beacon.retention.keep.%s: not a rule of this service (its rules: %s); ignored here", name, names));
        List<String> problems = problems(config.keep());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /** Configured ages that are not positive. */
    static List<String> problems(Map<String, Duration> keep) {
        List<String> problems = new ArrayList<>();
        keep.forEach((name, age) -> {
            if (age.isNegative() || age.isZero()) {
                problems.add("beacon.retention.keep." + name + ": must be a positive duration, not " + age);
            }
        });
        return problems;
    }

    @Scheduled(every = "${beacon.retention.every:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warnf("Pruning old rows failed, will retry on the next pass: %s", e.getMessage());
        }
    }

    /** @return rows deleted per rule name, in rule order */
    public Map<String, Long> prune() {
        Map<String, Long> deleted = new LinkedHashMap<>();
        for (RetentionRules source : sources) {
            for (RetentionRule rule : source.rules()) {
                Duration age = age(rule);
                long total = 0;
                int batch;
                do {
                    batch = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(rule.deleteBatch())
                            .setParameter(1, age.toMillis() / 1000.0)
                            .setParameter(2, config.batchSize())
                            .executeUpdate());
                    total += batch;
                } while (batch > 0); // until nothing is left: a row may become prunable once others are gone
                registry.counter("beacon.retention.deleted", "rule", rule.name()).increment(total);
                deleted.put(rule.name(), total);
                if (total > 0) {
                    LOG.infof("Pruned %d %s rows older than %s (%s)", total, rule.table(), age, rule.name());
                }
            }
        }
        return deleted;
    }

    public Duration age(RetentionRule rule) {
        return config.keep().getOrDefault(rule.name(), rule.defaultAge());
    }
}
