package io.beacon.engine.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Segment;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.engine.evaluation.AccountState;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.evaluation.Timeline;
import io.beacon.engine.rules.ActiveRuleset;

/**
 * A threshold sweep's shard: replays the events of its accounts once, through one variant of the
 * ruleset per swept value (the same compiled rules, one parameter changed), each with its own
 * account states on the engine's {@link Timeline}. Only accounts the parameter can change are
 * replayed — those of the swept segment, or all when every segment is swept — since for every other
 * account all variants decide alike. Each variant counts the CTAs it opens and remembers when its
 * RISK CTAs were open on the accounts that had recorded situations, to tell which it would have
 * warned about.
 */
final class SweepSimulation implements Shard {

    /** A recorded situation (escalation, manual RISK CTA, health turned RED) of an account in scope. */
    record Situation(String accountId, Instant at, boolean missed) {
    }

    /** When a RISK CTA was open under a variant: {@code closed} null while it still is. */
    private static final class Interval {
        final Instant opened;
        Instant closed;

        Interval(Instant opened) {
            this.opened = opened;
        }
    }

    static final class Variant {
        final int value;
        final Timeline timeline;
        final Map<String, AccountState> states = new HashMap<>();
        final Map<Cta, Interval> intervals = new IdentityHashMap<>();
        final Map<String, List<Interval>> riskByAccount = new HashMap<>();
        final Map<String, Integer> openedByReason = new TreeMap<>();
        int opened;
        int escalated;
        long failures;

        Variant(int value, ActiveRuleset.Compiled ruleset, CtaReconciler reconciler, int firingLimit) {
            this.value = value;
            this.timeline = new Timeline(ruleset, reconciler, firingLimit, (state, r, rule, message) -> failures++);
        }

        /** Whether a RISK CTA of this variant was open at some moment of [at − within, at) and opened before {@code at}. */
        boolean warned(Situation situation, Duration within) {
            Instant since = situation.at().minus(within);
            for (Interval interval : riskByAccount.getOrDefault(situation.accountId(), List.of())) {
                if (interval.opened.isBefore(situation.at()) && (interval.closed == null || !interval.closed.isBefore(since))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, AccountState.Account> accounts;
    private final Segment segment;
    private final Set<String> withSituations;
    final List<Variant> variants = new ArrayList<>();
    private final Set<String> seenEvents = new HashSet<>();
    long evaluated;
    long outOfScope;
    long skippedUnknownAccount;

    /**
     * @param variants the ruleset per swept value, in the order of the values
     * @param segment the swept segment, or null when the value applies to all
     * @param withSituations the accounts that have recorded situations (only theirs are tracked)
     */
    SweepSimulation(Map<Integer, ActiveRuleset.Compiled> variants, Segment segment, Map<String, AccountState.Account> accounts,
            Set<String> withSituations, CtaReconciler reconciler, int firingLimit) {
        this.accounts = accounts;
        this.segment = segment;
        this.withSituations = withSituations;
        variants.forEach((value, ruleset) -> this.variants.add(new Variant(value, ruleset, reconciler, firingLimit)));
    }

    @Override
    public void apply(TimedEvent timed) {
        AccountState.Account account = accounts.get(timed.event().accountId());
        if (account == null || account.segment() == null) {
            skippedUnknownAccount++;
            return;
        }
        if (segment != null && account.segment() != segment) {
            outOfScope++;
            return;
        }
        if (!seenEvents.add(timed.event().eventId())) {
            return;
        }
        // The variants share the account's tickets: time passes for each, the event goes to the tickets
        // once, then each variant evaluates — what Timeline.apply does for one.
        AccountState first = variants.get(0).states.computeIfAbsent(account.id(), id -> AccountState.empty(id, account));
        List<Instant> nows = new ArrayList<>(variants.size());
        for (Variant variant : variants) {
            AccountState state = variant.states.computeIfAbsent(account.id(), id -> AccountState.sharingTickets(first));
            List<CtaChange> changes = new ArrayList<>();
            nows.add(variant.timeline.passTimeBefore(state, timed.at(), changes));
            tally(variant, state, changes);
        }
        if (!Timeline.applyTicket(first, timed.event())) {
            return;
        }
        for (int i = 0; i < variants.size(); i++) {
            Variant variant = variants.get(i);
            AccountState state = variant.states.get(account.id());
            List<CtaChange> changes = new ArrayList<>();
            variant.timeline.evaluateAt(state, nows.get(i), changes);
            tally(variant, state, changes);
        }
        evaluated++;
    }

    @Override
    public void finish(Instant until) {
        for (Variant variant : variants) {
            for (AccountState state : variant.states.values()) {
                List<CtaChange> changes = new ArrayList<>();
                variant.timeline.advanceThrough(state, until, changes);
                tally(variant, state, changes);
            }
        }
    }

    /**
     * Counts what a step of one variant did: the CTAs it created, escalations, and when RISK CTAs of
     * accounts with recorded situations opened and closed. Then the state forgets its closed CTAs, so
     * a replay holds only what is open (and the tickets once, for all variants).
     */
    private void tally(Variant variant, AccountState state, List<CtaChange> changes) {
        boolean tracked = withSituations.contains(state.accountId());
        for (Cta cta : state.createdCtas()) {
            variant.opened++;
            variant.openedByReason.merge(cta.reason, 1, Integer::sum);
            if (tracked && "RISK".equals(cta.type)) {
                Interval interval = new Interval(cta.openedAt);
                variant.intervals.put(cta, interval);
                variant.riskByAccount.computeIfAbsent(state.accountId(), id -> new ArrayList<>()).add(interval);
            }
        }
        for (CtaChange change : changes) {
            CtaEvent event = change.event();
            if (event.kind() == CtaEvent.Kind.ESCALATED) {
                variant.escalated++;
            } else if (event.kind() == CtaEvent.Kind.CLOSED) {
                Interval interval = variant.intervals.remove(change.cta());
                if (interval != null) {
                    interval.closed = event.occurredAt();
                }
            }
        }
        state.forgetHistory();
    }
}
