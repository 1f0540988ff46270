package io.beacon.engine.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.IntStream;

import org.kie.api.KieBase;
import org.kie.api.runtime.StatelessKieSession;

import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.EvaluationTime;
import io.beacon.engine.rules.model.OpenCta;
import io.beacon.engine.rules.model.Params;

/** Runs scenarios against a compiled ruleset and says which decisions differ from the expected ones. */
public final class ScenarioRunner {

    public record Outcome(Scenario scenario, List<Scenario.Expected> actual) {

        public boolean passed() {
            return actual.equals(scenario.expect().stream()
                    .sorted(java.util.Comparator.comparing(Scenario.Expected::rule)).toList());
        }

        public String report() {
            return (passed() ? "PASS " : "FAIL ") + scenario.description()
                    + (passed() ? "" : ": expected " + scenario.expect() + " but the rules decided " + actual);
        }
    }

    private ScenarioRunner() {
    }

    public static Outcome run(KieBase kieBase, Params params, Scenario scenario) {
        String accountId = "scenario-account";
        List<Object> facts = new ArrayList<>();
        facts.add(new AccountFact(accountId, scenario.account().segment(), scenario.account().ownerCsmId(), null,
                scenario.account().renewalDate()));
        facts.add(params);
        facts.add(new EvaluationTime(scenario.now()));
        Scenario.Stats stats = scenario.stats();
        List<String> openIds = IntStream.rangeClosed(1, stats.openTickets()).mapToObj(i -> "T-" + i).toList();
        Map<String, Integer> reopens = new HashMap<>();
        openIds.forEach(id -> reopens.put(id, 0));
        if (stats.maxReopenCount() > 0 && !openIds.isEmpty()) {
            reopens.put("T-1", stats.maxReopenCount());
        }
        facts.add(new AccountStats(accountId, stats.openTickets(), stats.openUrgent(), stats.openHigh(),
                stats.openSlaBreached(), openIds, reopens, stats.createdLast24h(), stats.createdLast30d()));
        int n = 0;
        for (Scenario.Cta cta : scenario.openCtas()) {
            facts.add(new OpenCta("cta-" + ++n, cta.type(), cta.reason(), cta.status(),
                    scenario.now().minus(Duration.ofDays(cta.openedDaysAgo())), cta.escalated()));
        }
        Decisions decisions = new Decisions();
        StatelessKieSession session = kieBase.newStatelessKieSession();
        session.setGlobal("decisions", decisions);
        session.execute(facts);
        // Compared in a stable order: the order rules fire in is not part of their contract.
        List<Scenario.Expected> actual = decisions.all().stream()
                .map(d -> new Scenario.Expected(d.kind(), d.type(), d.reason(), d.rule()))
                .sorted(java.util.Comparator.comparing(Scenario.Expected::rule))
                .toList();
        return new Outcome(scenario, actual);
    }
}
