package io.beacon.engine.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.IntStream;

import org.kie.api.KieBase;

import io.beacon.engine.evaluation.Facts;
import io.beacon.engine.evaluation.RuleRun;
import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.OpenCta;
import io.beacon.engine.rules.model.Params;

/**
 * Runs scenarios against a compiled ruleset and says which decisions differ from the expected ones.
 * A scenario runs a draft's code, so whatever the draft does wrong — a rule that throws, rules that
 * keep triggering each other — ends as a failed scenario naming the rule, never as an error of the
 * caller.
 */
public final class ScenarioRunner {

    /** Rule firings one scenario may take; the live engine has its own limit per evaluation. */
    public static final int MAX_FIRINGS = 1_000;

    /** @param failure what went wrong while the rules ran (they decided nothing then), or null */
    public record Outcome(Scenario scenario, List<Scenario.Expected> actual, String failure) {

        public Outcome(Scenario scenario, List<Scenario.Expected> actual) {
            this(scenario, actual, null);
        }

        public boolean passed() {
            return failure == null && actual.equals(scenario.expect().stream()
                    .sorted(java.util.Comparator.comparing(Scenario.Expected::rule)).toList());
        }

        public String report() {
            if (failure != null) {
                return "FAIL " + scenario.description() + ": " + failure;
            }
            return (passed() ? "PASS " : "FAIL ") + scenario.description()
                    + (passed() ? "" : ": expected " + scenario.expect() + " but the rules decided " + actual);
        }
    }

    private ScenarioRunner() {
    }

    public static Outcome run(KieBase kieBase, Params params, Scenario scenario) {
        String accountId = "scenario-account";
        Scenario.Stats stats = scenario.stats();
        List<String> openIds = IntStream.rangeClosed(1, stats.openTickets()).mapToObj(i -> "T-" + i).toList();
        Map<String, Integer> reopens = new HashMap<>();
        openIds.forEach(id -> reopens.put(id, 0));
        if (stats.maxReopenCount() > 0 && !openIds.isEmpty()) {
            reopens.put("T-1", stats.maxReopenCount());
        }
        List<OpenCta> open = new ArrayList<>();
        int n = 0;
        for (Scenario.Cta cta : scenario.openCtas()) {
            open.add(new OpenCta("cta-" + ++n, cta.type(), cta.reason(), cta.status(),
                    scenario.now().minus(Duration.ofDays(cta.openedDaysAgo())), cta.escalated()));
        }
        List<Object> facts = Facts.of(
                new AccountFact(accountId, scenario.account().segment(), scenario.account().ownerCsmId(), null,
                        scenario.account().renewalDate()),
                params, scenario.now(),
                new AccountStats(accountId, stats.openTickets(), stats.openUrgent(), stats.openHigh(),
                        stats.openSlaBreached(), openIds, reopens, stats.createdLast24h(), stats.createdLast30d()),
                open);
        RuleRun.Result result = RuleRun.decide(kieBase.newKieSession(), facts, MAX_FIRINGS);
        if (result.failed()) {
            return new Outcome(scenario, List.of(), result.failure());
        }
        // Compared in a stable order: the order rules fire in is not part of their contract.
        List<Scenario.Expected> actual = result.decisions().all().stream()
                .map(d -> new Scenario.Expected(d.kind(), d.type(), d.reason(), d.rule()))
                .sorted(java.util.Comparator.comparing(Scenario.Expected::rule))
                .toList();
        return new Outcome(scenario, actual);
    }
}
