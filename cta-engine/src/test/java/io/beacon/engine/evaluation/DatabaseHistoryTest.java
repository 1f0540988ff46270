package io.beacon.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.accountview.AccountView;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The engine on its real database and broker writes, for a generated stream, the CTA history the
 * in-memory core gives for the same events — one event per transaction or a hundred, with the
 * schedule letting time pass between batches — and publishes it on {@code ctas.events}.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class DatabaseHistoryTest {

    /** Far enough ahead that the running schedule (which lets time pass up to now) never reaches it. */
    private static final Instant START = Instant.now().plus(Duration.ofDays(400)).truncatedTo(ChronoUnit.DAYS);

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    EvaluationService evaluation;

    @Inject
    ActiveRuleset rules;

    @Inject
    ObjectMapper json;

    @Test
    void theStoredHistoryIsTheCoresWhateverTheBatchSize() throws Exception {
        for (int size : new int[] { 1, 100, 50 }) {
            // The last run reads the accounts' snapshots only after all their events: those wait, parked.
            boolean snapshotsLast = size == 50;
            String prefix = "hist-" + size + "-" + UUID.randomUUID();
            TicketStreams.Stream stream = TicketStreams.generate(prefix, 7, 3, 300, START);
            if (!snapshotsLast) {
                QuarkusTransaction.requiringNew().run(() -> stream.accounts().values().forEach(DatabaseHistoryTest::store));
            }

            List<TimedEvent> events = stream.events();
            for (int from = 0; from < events.size(); from += size) {
                List<TimedEvent> batch = events.subList(from, Math.min(events.size(), from + size));
                QuarkusTransaction.requiringNew().run(() -> evaluation.apply(batch));
                Instant watermark = events.subList(Math.min(events.size(), from + size), events.size()).stream()
                        .map(TimedEvent::at).min(Instant::compareTo).orElse(null);
                if (watermark != null) {
                    QuarkusTransaction.requiringNew().run(
                            () -> evaluation.advanceThrough(stream.accounts().keySet(), watermark.minusNanos(1_000)));
                }
            }
            if (snapshotsLast) {
                assertThat(evaluation.parkedEvents()).as("events waiting for their account").isPositive();
                QuarkusTransaction.requiringNew().run(() -> stream.accounts().values().forEach(DatabaseHistoryTest::store));
                QuarkusTransaction.requiringNew().run(() -> evaluation.snapshotChanged(stream.accounts().keySet()));
            }
            Instant end = events.stream().map(TimedEvent::at).max(Instant::compareTo).orElseThrow().plus(Duration.ofDays(30));
            QuarkusTransaction.requiringNew().run(() -> evaluation.advanceThrough(stream.accounts().keySet(), end));

            Map<String, List<String>> expected = Histories.of(reference(rules, json, stream, end));
            assertThat(expected).as("the stream raises CTAs").isNotEmpty();
            assertThat(Histories.published(infra, expected)).as("batches of %d", size).isEqualTo(expected);
            // Nothing beyond the history either: as many CTAs stored as the history names.
            long ctas = expected.values().stream().mapToLong(h -> h.stream().map(c -> c.split(" \\| ")[0]).distinct().count()).sum();
            assertThat(QuarkusTransaction.requiringNew().call(() -> Cta.count("accountId in ?1", stream.accounts().keySet())))
                    .isEqualTo(ctas);
        }
    }

    /**
     * The history the in-memory core gives for the stream, events one at a time, then time passing to
     * each of {@code horizons} in turn; a rule failure fails the test.
     */
    static List<CtaEvent> reference(ActiveRuleset rules, ObjectMapper json, TicketStreams.Stream stream,
            Instant... horizons) {
        InMemoryEngine engine = new InMemoryEngine(new Timeline(rules.get(), new CtaReconciler(json), 200,
                (state, ruleset, rule, message) -> {
                    throw new AssertionError(message);
                }), stream.accounts());
        stream.events().forEach(e -> engine.batch(List.of(e), false));
        for (Instant horizon : horizons) {
            engine.advanceThrough(horizon);
        }
        return engine.published();
    }

    static void store(AccountState.Account account) {
        AccountView view = new AccountView();
        view.accountId = account.id();
        view.name = account.id();
        view.segment = account.segment();
        view.csmId = account.csmId();
        view.csmTeam = account.team();
        view.renewalDate = account.renewalDate();
        view.version = 1;
        view.updatedAt = Instant.now();
        view.persist();
    }
}
