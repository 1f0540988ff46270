package io.beacon.engine.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Segment;
import io.beacon.engine.rules.model.Params;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Everything a ruleset version must pass before it may serve, in order: the guardrails (what the
 * DRL may touch), the parameters (whole numbers for every segment, and every parameter the DRL
 * reads defined), the compiler, and the version's own scenarios. The report says what failed, where
 * (file, line, column), and which rules no scenario exercises.
 */
@ApplicationScoped
public class RuleValidator {

    /** Matches {@code $params.get("supportRisk.openTickets", ...)}: the parameter names a rule reads. */
    private static final Pattern PARAM_USE = Pattern.compile("\\bget\\(\\s*\"([A-Za-z][\\w.]*)\"\\s*,");

    private static final Duration SCENARIO_TIME_LIMIT = Duration.ofSeconds(10);
    private static final ExecutorService SCENARIO_THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "rule-scenario");
        thread.setDaemon(true);
        return thread;
    });

    private final RuleCompiler compiler;
    private final ObjectMapper json;

    RuleValidator(RuleCompiler compiler, ObjectMapper json) {
        this.compiler = compiler;
        this.json = json;
    }

    public record ScenarioResult(String file, String description, boolean passed, String report) {
    }

    /**
     * @param compiled the compiled ruleset when everything before the scenarios passed, else null
     */
    public record Report(List<RuleCompiler.RuleError> errors, List<String> warnings, List<ScenarioResult> scenarios,
            List<String> uncoveredRules, Ruleset ruleset, KieBase compiled) {

        public boolean ok() {
            return errors.isEmpty() && scenarios.stream().allMatch(ScenarioResult::passed);
        }

        /** One readable paragraph of what is wrong, for logs and problem details. */
        public String summary() {
            List<String> parts = new ArrayList<>();
            errors.forEach(e -> parts.add((e.file() == null ? "" : e.file() + (e.line() > 0 ? ":" + e.line()
                    + ":" + e.column() : "") + ": ") + e.message()));
            scenarios.stream().filter(s -> !s.passed()).forEach(s -> parts.add("scenario " + s.file() + ": " + s.report()));
            return String.join("; ", parts);
        }
    }

    public Report validate(RuleSource source, int version) {
        // Tables are checked cell by cell and turned into DRL; the guard then reads all DRL alike.
        List<RuleCompiler.RuleError> errors = new ArrayList<>();
        Map<String, String> drl = DecisionTables.expandAll(source.files(), errors);
        errors.addAll(RuleGuard.check(drl));
        List<String> warnings = new ArrayList<>();
        if (source.files().isEmpty()) {
            errors.add(new RuleCompiler.RuleError(null, 0, 0, "a ruleset needs at least one DRL file"));
        }
        Params params = params(source.params(), errors);
        Set<String> used = checkParameterUse(drl, source.params().keySet(), errors);
        source.params().keySet().stream().filter(p -> !used.contains(p))
                .forEach(p -> warnings.add("parameter " + p + " is not read by any rule"));
        if (!errors.isEmpty()) {
            return new Report(errors, warnings, List.of(), List.of(), null, null);
        }
        RuleCompiler.Compiled compiled;
        try {
            compiled = compiler.compile(source.files());
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return new Report(List.of(new RuleCompiler.RuleError(null, 0, 0, "the rules could not be compiled: "
                    + io.beacon.engine.evaluation.RuleRun.describe(e).replaceFirst("^the rules threw ", ""))), warnings, List.of(), List.of(),
                    null, null);
        }
        if (!compiled.ok()) {
            return new Report(compiled.errors(), warnings, List.of(), List.of(), null, null);
        }
        Ruleset ruleset = new Ruleset(source.name(), version, source.files(), params);
        List<ScenarioResult> results = new ArrayList<>();
        Set<String> exercised = new TreeSet<>();
        source.scenarios().forEach((file, text) -> {
            Scenario scenario;
            try {
                scenario = json.readValue(text, Scenario.class);
            } catch (Exception e) {
                results.add(new ScenarioResult(file, null, false, "not a readable scenario: " + e.getMessage()));
                return;
            }
            ScenarioRunner.Outcome outcome = runContained(compiled.kieBase(), params, scenario);
            outcome.actual().forEach(decision -> exercised.add(decision.rule()));
            scenario.expect().forEach(expected -> exercised.add(expected.rule()));
            results.add(new ScenarioResult(file, scenario.description(), outcome.passed(), outcome.report()));
        });
        if (source.scenarios().isEmpty()) {
            warnings.add("the ruleset has no scenarios: nothing checks what its rules decide");
        }
        List<String> uncovered = ruleNames(compiled.kieBase()).stream().filter(r -> !exercised.contains(r)).toList();
        return new Report(List.of(), warnings, results, uncovered, ruleset, compiled.kieBase());
    }

    /**
     * Runs one scenario of a draft on a thread of its own with a time limit: the draft's code must
     * not be able to hold up or break the caller (an HTTP request, or the rules.changes consumer).
     */
    private static ScenarioRunner.Outcome runContained(KieBase kieBase, Params params, Scenario scenario) {
        Future<ScenarioRunner.Outcome> run = SCENARIO_THREADS.submit(() -> ScenarioRunner.run(kieBase, params, scenario));
        try {
            return run.get(SCENARIO_TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            return new ScenarioRunner.Outcome(scenario, List.of(), "the rules ran longer than "
                    + SCENARIO_TIME_LIMIT.toSeconds() + " s and were stopped");
        } catch (ExecutionException e) {
            return new ScenarioRunner.Outcome(scenario, List.of(), "the scenario could not run: "
                    + io.beacon.engine.evaluation.RuleRun.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ScenarioRunner.Outcome(scenario, List.of(), "interrupted");
        }
    }

    /** Parameters as the rules read them: a whole number for every segment. */
    static Params params(Map<String, Map<String, Object>> raw, List<RuleCompiler.RuleError> errors) {
        Map<String, Map<Segment, Integer>> typed = new LinkedHashMap<>();
        raw.forEach((name, bySegment) -> {
            Map<Segment, Integer> values = new EnumMap<>(Segment.class);
            (bySegment == null ? Map.<String, Object> of() : bySegment).forEach((segmentName, value) -> {
                Segment segment;
                try {
                    segment = Segment.valueOf(segmentName);
                } catch (IllegalArgumentException e) {
                    errors.add(paramError(name + "." + segmentName, "'" + segmentName
                            + "' is not a segment (MERCURY, MARS, VENUS, JUPITER)"));
                    return;
                }
                Integer number = wholeNumber(value);
                if (number == null) {
                    errors.add(paramError(name + "." + segmentName, "'" + value + "' is not a whole number"));
                } else {
                    values.put(segment, number);
                }
            });
            for (Segment segment : Segment.values()) {
                if (!values.containsKey(segment) && (bySegment == null || !bySegment.containsKey(segment.name()))) {
                    errors.add(paramError(name, "has no value for " + segment));
                }
            }
            typed.put(name, values);
        });
        return new Params(typed);
    }

    private static Integer wholeNumber(Object value) {
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.valueOf(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static RuleCompiler.RuleError paramError(String param, String message) {
        return new RuleCompiler.RuleError("parameters", 0, 0, "parameter " + param + ": " + message);
    }

    /** @return the parameter names the DRL reads; one it reads but the version lacks is an error at its place */
    private static Set<String> checkParameterUse(Map<String, String> files, Set<String> defined,
            List<RuleCompiler.RuleError> errors) {
        Set<String> used = new TreeSet<>();
        files.forEach((file, drl) -> {
            String[] lines = drl.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher use = PARAM_USE.matcher(lines[i]);
                while (use.find()) {
                    used.add(use.group(1));
                    if (!defined.contains(use.group(1))) {
                        errors.add(new RuleCompiler.RuleError(file, i + 1, use.start(1) + 1, "the rule reads parameter "
                                + use.group(1) + ", which this version does not define"));
                    }
                }
            }
        });
        return used;
    }

    private static List<String> ruleNames(KieBase kieBase) {
        List<String> names = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                names.add(rule.getName());
            }
        }
        names.sort(null);
        return names;
    }
}
