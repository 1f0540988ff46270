package io.beacon.engine.evaluation;

import java.util.List;

import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;

import io.beacon.engine.rules.model.Decisions;

/**
 * One run of a rule session over a set of facts: the decisions, or why there are none. Whatever the
 * rules do wrong — throw, keep triggering each other, decide something the engine cannot apply —
 * ends as a failure naming the rule where known, never as an exception of the caller.
 */
public final class RuleRun {

    /** @param decisions what the rules decided, or null when they failed; {@code failedRule} may be null */
    public record Result(Decisions decisions, String failedRule, String failure) {

        public boolean failed() {
            return decisions == null;
        }
    }

    private RuleRun() {
    }

    /** Runs {@code session} (which it disposes) over {@code facts}, with at most {@code limit} firings. */
    public static Result decide(KieSession session, List<Object> facts, int limit) {
        Decisions decisions = new Decisions();
        try {
            session.setGlobal("decisions", decisions);
            facts.forEach(session::insert);
            if (session.fireAllRules(limit) >= limit) {
                return new Result(null, null, "the evaluation reached the limit of " + limit
                        + " rule firings; rules may be triggering each other in a loop");
            }
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return new Result(null, failedRule(e), describe(e));
        } finally {
            session.dispose();
        }
        String unusable = decisions.problem();
        return unusable == null ? new Result(decisions, null, null) : new Result(null, null, unusable);
    }

    /** The rule whose consequence threw, from whatever the rule engine wrapped it in; null when unknown. */
    static String failedRule(Throwable e) {
        String rule = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConsequenceException consequence && consequence.getRule() != null) {
                rule = consequence.getRule().getName();
            }
        }
        return rule;
    }

    /** "rule X threw IllegalStateException: message". */
    public static String describe(Throwable e) {
        String rule = failedRule(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return (rule == null ? "the rules threw " : "rule " + rule + " threw ") + what;
    }
}
