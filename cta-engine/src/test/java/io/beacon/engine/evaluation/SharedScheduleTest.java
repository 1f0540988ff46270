package io.beacon.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Several engine instances run the schedule side by side (here: several threads, each with its own
 * transactions and database sessions, as instances have). Each due account is moved on by exactly one
 * of them, and the CTA history is the one a single evaluator gives.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class SharedScheduleTest {

    private static final Instant START = Instant.now().plus(Duration.ofDays(800)).truncatedTo(ChronoUnit.DAYS);
    private static final int INSTANCES = 3;

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    EvaluationService evaluation;

    @Inject
    ReevaluationJob job;

    @Inject
    ActiveRuleset rules;

    @Inject
    ObjectMapper json;

    @Inject
    EntityManager em;

    @Test
    void everyDueAccountIsMovedOnByOneInstanceAndTheHistoryIsASingleEvaluatorsOne() throws Exception {
        String prefix = "shared-" + UUID.randomUUID();
        TicketStreams.Stream stream = TicketStreams.generate(prefix, 11, 40, 800, START);
        QuarkusTransaction.requiringNew().run(() -> stream.accounts().values().forEach(DatabaseHistoryTest::store));
        List<TimedEvent> events = stream.events();
        for (int from = 0; from < events.size(); from += 200) {
            List<TimedEvent> batch = events.subList(from, Math.min(events.size(), from + 200));
            QuarkusTransaction.requiringNew().run(() -> evaluation.apply(batch));
        }
        Instant last = events.stream().map(TimedEvent::at).max(Instant::compareTo).orElseThrow();

        // Time passes in steps, each shared by the instances: a day, then a month after the last event.
        for (Instant horizon : List.of(last.plus(Duration.ofDays(1)), last.plus(Duration.ofDays(30)))) {
            Set<String> due = due(prefix, horizon);
            assertThat(due).as("accounts with something due by %s", horizon).isNotEmpty();
            ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                runs.add(instances.submit((Callable<List<String>>) () -> job.run(horizon)));
            }
            List<String> movedOn = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                movedOn.addAll(run.get());
            }
            instances.shutdown();
            List<String> ours = movedOn.stream().filter(a -> a.startsWith(prefix)).toList();
            assertThat(ours).as("no account moved on twice for one due time").doesNotHaveDuplicates();
            assertThat(new HashSet<>(ours)).as("every due account moved on").isEqualTo(due);
            assertThat(due(prefix, horizon)).as("nothing left due").isEmpty();
        }

        Instant end = last.plus(Duration.ofDays(30));
        Map<String, List<String>> expected = Histories.of(DatabaseHistoryTest.reference(rules, json, stream, last.plus(Duration.ofDays(1)), end));
        assertThat(expected).as("the stream raises CTAs").isNotEmpty();
        assertThat(Histories.published(infra, expected)).isEqualTo(expected);
    }

    private Set<String> due(String prefix, Instant horizon) {
        return QuarkusTransaction.requiringNew().call(() -> new HashSet<>(em.createNativeQuery(
                "SELECT account_id FROM account_clock WHERE account_id LIKE ?1 AND next_due_at <= ?2", String.class)
                .setParameter(1, prefix + "%")
                .setParameter(2, horizon.atOffset(ZoneOffset.UTC))
                .getResultList()));
    }
}
