package io.beacon.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.backtest.BacktestSimulation;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.SeededRules;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * An account's CTA change history is a function of its events and their times: the same for any
 * batch size, with a crash (a batch thrown away and consumed again) or a redelivery (a committed
 * batch consumed again) anywhere, with the schedule letting time pass between batches, and the same
 * as a backtest of those events with that ruleset.
 */
class BatchIndependenceTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static ActiveRuleset.Compiled rules;

    @BeforeContainer
    static void compileDefaultRules() {
        rules = SeededRules.compiled();
    }

    @Property(tries = 60)
    void theHistoryDoesNotDependOnBatchingCrashesOrTheSchedule(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int accounts, @ForAll @IntRange(min = 10, max = 700) int length,
            @ForAll long failures) {
        TicketStreams.Stream stream = TicketStreams.generate(seed, accounts, length);
        Map<String, List<String>> oneByOne = Histories.of(live(stream, 1, -1, -1));
        Random where = new Random(failures);
        for (int size : new int[] { 7, 100, 500 }) {
            int batches = (length + size - 1) / size;
            assertThat(Histories.of(live(stream, size, -1, -1))).as("batches of %d", size).isEqualTo(oneByOne);
            assertThat(Histories.of(live(stream, size, where.nextInt(batches), where.nextInt(batches))))
                    .as("batches of %d, with a crash and a redelivery", size).isEqualTo(oneByOne);
        }
        assertThat(Histories.of(backtest(stream))).as("the backtest").isEqualTo(oneByOne);
    }

    @Example
    void theGeneratedStreamsExerciseEveryKindOfChange() {
        List<CtaEvent.Kind> kinds = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            live(TicketStreams.generate(seed, 3, 700), 1, -1, -1).forEach(e -> kinds.add(e.kind()));
        }
        assertThat(kinds).contains(CtaEvent.Kind.OPENED, CtaEvent.Kind.UPDATED, CtaEvent.Kind.ESCALATED,
                CtaEvent.Kind.CLOSED);
    }

    @Example
    void anEpisodeThatRisesAndFallsInsideOneBatchStillLeavesItsCta() {
        TicketStreams.Stream stream = TicketStreams.generate(42, 1, 400);
        List<CtaEvent> oneBatch = live(stream, 400, -1, -1);
        assertThat(oneBatch).extracting(CtaEvent::kind).contains(CtaEvent.Kind.OPENED, CtaEvent.Kind.CLOSED);
        assertThat(Histories.of(oneBatch)).isEqualTo(Histories.of(live(stream, 1, -1, -1)));
    }

    /**
     * The live engine's way: batches of {@code size}; batch {@code crash} is thrown away once before
     * it commits, batch {@code redeliver} is consumed again after it committed; after each batch the
     * schedule lets time pass up to just before the oldest event still to come (the watermark).
     */
    static List<CtaEvent> live(TicketStreams.Stream stream, int size, int crash, int redeliver) {
        InMemoryEngine engine = new InMemoryEngine(timeline(), stream.accounts());
        List<TimedEvent> events = stream.events();
        for (int from = 0, batch = 0; from < events.size(); from += size, batch++) {
            List<TimedEvent> chunk = events.subList(from, Math.min(events.size(), from + size));
            if (batch == crash) {
                engine.batch(chunk, true);
            }
            engine.batch(chunk, false);
            if (batch == redeliver) {
                engine.batch(chunk, false);
            }
            Instant watermark = events.subList(Math.min(events.size(), from + size), events.size()).stream()
                    .map(TimedEvent::at).min(Instant::compareTo).orElse(null);
            if (watermark != null && size > 1) {
                engine.advanceThrough(watermark.minusNanos(1_000));
            }
        }
        engine.advanceThrough(end(stream));
        return engine.published();
    }

    static List<CtaEvent> backtest(TicketStreams.Stream stream) {
        BacktestSimulation simulation = new BacktestSimulation(rules, rules, stream.accounts(), new CtaReconciler(JSON),
                200, true);
        stream.events().forEach(simulation::apply);
        simulation.finish(end(stream));
        return simulation.baselineHistory().stream().map(c -> c.event()).toList();
    }

    private static Instant end(TicketStreams.Stream stream) {
        return stream.events().stream().map(TimedEvent::at).max(Instant::compareTo).orElseThrow()
                .plus(Duration.ofDays(30));
    }

    private static Timeline timeline() {
        return new Timeline(rules, new CtaReconciler(JSON), 200, (state, ruleset, rule, message) -> {
            throw new AssertionError("the default rules failed for " + state.accountId() + ": " + message);
        });
    }
}
