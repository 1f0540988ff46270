package io.beacon.engine.cta;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.evaluation.AccountState;
import io.beacon.engine.rules.Ruleset;
import io.beacon.engine.rules.model.Decisions;

/**
 * The CTA state machine, the only one: turns one evaluation's decisions into CTA changes. One CTA per
 * (account, type, reason) that is not closed; a rule raising it again updates it when its priority
 * or explanation changed; an escalation stays until the CTA closes; a snoozed CTA stays quiet until
 * its snooze ends; a clear closes it. Live processing, backtests and scenario checks all use it.
 */
public final class CtaReconciler {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public CtaReconciler(ObjectMapper json) {
        this.json = json;
    }

    /** Ends the snoozes that have run out by {@code now}: the CTAs are open again. */
    public void endSnoozes(AccountState state, Instant now, List<CtaChange> out) {
        for (Cta cta : state.notClosed()) {
            if (Cta.SNOOZED.equals(cta.status) && cta.snoozedUntil != null && !cta.snoozedUntil.isAfter(now)) {
                cta.status = Cta.OPEN;
                cta.snoozedUntil = null;
                cta.updatedAt = now;
                out.add(CtaChange.of(cta, CtaEvent.Kind.UPDATED, now, read(cta.explanation)));
            }
        }
    }

    /** Applies one evaluation's decisions, made at {@code now}, to the account's CTAs. */
    public void apply(AccountState state, List<Decisions.Decision> decisions, Ruleset ruleset, Instant now,
            List<CtaChange> out) {
        Map<Decisions.Decision, String> written = new IdentityHashMap<>();
        // Rules match, update and clear only their own CTAs; a person's manual CTA is left alone.
        List<Cta> open = state.notClosed().stream().filter(cta -> !cta.manual()).toList();
        for (Decisions.Decision decision : merge(decisions)) {
            Cta existing = null;
            for (Cta cta : open) {
                if (cta.type.equals(decision.type()) && cta.reason.equals(decision.reason())) {
                    existing = cta;
                    break;
                }
            }
            String explanation = written.computeIfAbsent(decision, d -> write(d.explanation()));
            if (decision.kind() == Decisions.Kind.RAISE) {
                raise(state, decision, explanation, ruleset, existing, now, out);
            } else if (existing != null) {
                existing.status = Cta.CLOSED;
                existing.closeReason = decision.closeReason();
                existing.closedAt = now;
                existing.updatedAt = now;
                existing.snoozedUntil = null;
                stamp(existing, decision, explanation, ruleset);
                out.add(CtaChange.of(existing, CtaEvent.Kind.CLOSED, now, decision.explanation()));
            }
        }
    }

    private void raise(AccountState state, Decisions.Decision decision, String explanation, Ruleset ruleset,
            Cta existing, Instant now, List<CtaChange> out) {
        if (existing == null) {
            Cta cta = new Cta();
            cta.id = UUID.randomUUID().toString();
            cta.accountId = state.accountId();
            cta.type = decision.type();
            cta.reason = decision.reason();
            cta.status = Cta.OPEN;
            cta.ownerCsmId = state.account().csmId();
            cta.openedAt = now;
            cta.updatedAt = now;
            cta.dueAt = now.plus(Duration.ofDays(decision.dueInDays()));
            cta.priority = decision.priority();
            cta.escalated = decision.escalated();
            cta.escalatedAt = cta.escalated ? now : null;
            stamp(cta, decision, explanation, ruleset);
            state.addCta(cta);
            out.add(CtaChange.of(cta, cta.escalated ? CtaEvent.Kind.ESCALATED : CtaEvent.Kind.OPENED, now,
                    decision.explanation()));
            return;
        }
        if (Cta.SNOOZED.equals(existing.status)) {
            return;
        }
        CtaEvent.Kind kind;
        if (decision.escalated() && !existing.escalated) {
            existing.escalated = true;
            existing.escalatedAt = now;
            existing.priority = higher(existing.priority, decision.priority());
            kind = CtaEvent.Kind.ESCALATED;
        } else if (existing.escalated && !decision.escalated()) {
            // An escalated CTA keeps its escalation and its explanation until it closes.
            return;
        } else if (!decision.priority().equals(existing.priority) || !explanation.equals(existing.explanation)) {
            existing.priority = existing.escalated ? higher(existing.priority, decision.priority()) : decision.priority();
            kind = CtaEvent.Kind.UPDATED;
        } else {
            return;
        }
        existing.updatedAt = now;
        stamp(existing, decision, explanation, ruleset);
        out.add(CtaChange.of(existing, kind, now, decision.explanation()));
    }

    private static void stamp(Cta cta, Decisions.Decision decision, String explanation, Ruleset ruleset) {
        cta.ruleset = ruleset.name();
        cta.rulesetVersion = ruleset.version();
        cta.ruleName = decision.rule();
        cta.explanation = explanation;
    }

    /**
     * Several rules may raise the same CTA in one evaluation (say SupportRisk and SupportRiskAging):
     * they become one decision with the highest priority, escalated if any of them escalates, named
     * after the escalating rule, with all their explanations. A raise wins over a clear.
     */
    public static List<Decisions.Decision> merge(List<Decisions.Decision> decisions) {
        Map<String, Decisions.Decision> byKey = new LinkedHashMap<>();
        for (Decisions.Decision d : decisions) {
            String key = d.type() + "/" + d.reason();
            Decisions.Decision seen = byKey.get(key);
            if (seen == null || (seen.kind() == Decisions.Kind.CLEAR && d.kind() == Decisions.Kind.RAISE)) {
                byKey.put(key, d);
            } else if (d.kind() == Decisions.Kind.RAISE) {
                Decisions.Decision lead = d.escalated() && !seen.escalated() ? d : seen;
                Decisions.Decision other = lead == d ? seen : d;
                lead.priority(higher(lead.priority(), other.priority()));
                if (other.escalated()) {
                    lead.escalate();
                }
                other.explanation().forEach(lead.explanation()::putIfAbsent);
                byKey.put(key, lead);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    static String higher(String a, String b) {
        return CtaEvent.Priority.valueOf(a).compareTo(CtaEvent.Priority.valueOf(b)) >= 0 ? a : b;
    }

    /** A stored explanation as a map. */
    public Map<String, Object> read(String explanation) {
        try {
            return json.readValue(explanation, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Map<String, Object> explanation) {
        try {
            return json.writeValueAsString(explanation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
