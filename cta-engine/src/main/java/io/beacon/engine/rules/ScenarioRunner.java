package io.beacon.engine.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.kie.api.KieBase;
import org.kie.api.runtime.StatelessKieSession;

import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.OpenCta;
import io.beacon.engine.rules.model.Params;

/** Runs scenarios against a compiled ruleset and says which decisions differ from the expected ones. */
public final class ScenarioRunner {

    public record Outcome(Scenario scenario, List<Scenario.Expected> actual) {

        public boolean passed() {
            return actual.equals(scenario.expect());
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
        facts.add(new AccountFact(accountId, scenario.account().segment(), scenario.account().ownerCsmId(), null, null));
        facts.add(params);
        Scenario.Stats stats = scenario.stats();
        facts.add(new AccountStats(accountId, stats.openTickets(), stats.openUrgent(), stats.openHigh(),
                IntStream.rangeClosed(1, stats.openTickets()).mapToObj(i -> "T-" + i).toList()));
        int n = 0;
        for (Scenario.Cta cta : scenario.openCtas()) {
            facts.add(new OpenCta("cta-" + ++n, cta.type(), cta.reason(), cta.status(), Instant.EPOCH));
        }
        Decisions decisions = new Decisions();
        StatelessKieSession session = kieBase.newStatelessKieSession();
        session.setGlobal("decisions", decisions);
        session.execute(facts);
        List<Scenario.Expected> actual = decisions.all().stream()
                .map(d -> new Scenario.Expected(d.kind(), d.type(), d.reason(), d.rule()))
                .toList();
        return new Outcome(scenario, actual);
    }
}
