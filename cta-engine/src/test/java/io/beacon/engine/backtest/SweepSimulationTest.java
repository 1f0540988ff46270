package io.beacon.engine.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.evaluation.TicketStreams;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.SeededRules;
import io.beacon.engine.rules.Ruleset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;

/**
 * A sweep shares each account's tickets between its variants and keeps only open CTAs; whatever the
 * stream, each variant must still decide exactly as a replay of that value alone — the replay whose
 * equality with the live engine {@code BatchIndependenceTest} shows.
 */
class SweepSimulationTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static ActiveRuleset.Compiled rules;

    @BeforeContainer
    static void compileDefaultRules() {
        rules = SeededRules.compiled();
    }

    @Property(tries = 40)
    void eachValueOfASweepDecidesAsAReplayOfThatValueAlone(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int accounts, @ForAll @IntRange(min = 10, max = 600) int length) {
        TicketStreams.Stream stream = TicketStreams.generate(seed, accounts, length);
        Instant end = stream.events().stream().map(TimedEvent::at).max(Instant::compareTo).orElseThrow().plus(Duration.ofDays(30));
        Map<Integer, ActiveRuleset.Compiled> variants = new LinkedHashMap<>();
        for (int value : new int[] { 1, 2, 3, 5 }) {
            variants.put(value, variant(value));
        }
        SweepSimulation sweep = new SweepSimulation(variants, null, stream.accounts(), Set.copyOf(stream.accounts().keySet()),
                new CtaReconciler(JSON), 200);
        stream.events().forEach(sweep::apply);
        sweep.finish(end);

        int i = 0;
        for (ActiveRuleset.Compiled variant : variants.values()) {
            BacktestSimulation alone = new BacktestSimulation(variant, variant, stream.accounts(), new CtaReconciler(JSON), 200, true);
            stream.events().forEach(alone::apply);
            alone.finish(end);
            SweepSimulation.Variant swept = sweep.variants.get(i++);
            assertThat(swept.opened).as("opened at %d", swept.value).isEqualTo(alone.baseline.tally.opened);
            assertThat(swept.escalated).as("escalated at %d", swept.value).isEqualTo(alone.baseline.tally.escalated);
            assertThat(swept.openedByReason).as("by reason at %d", swept.value).isEqualTo(openedByReason(alone.baselineHistory()));
        }
    }

    private static ActiveRuleset.Compiled variant(int openTickets) {
        Ruleset base = rules.ruleset();
        return new ActiveRuleset.Compiled(new Ruleset(base.name(), base.version(), base.files(),
                base.params().with("supportRisk.openTickets", null, openTickets)), rules.kieBase(), rules.sessions(), "v" + openTickets);
    }

    private static Map<String, Integer> openedByReason(List<CtaChange> history) {
        Set<Cta> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Integer> byReason = new TreeMap<>();
        for (CtaChange change : history) {
            if (seen.add(change.cta())) {
                byReason.merge(change.event().reason(), 1, Integer::sum);
            }
        }
        return byReason;
    }
}
