package io.beacon.engine.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.evaluation.AccountState;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.evaluation.Timeline;
import io.beacon.engine.rules.ActiveRuleset;

/**
 * Replays ticket events through two ruleset versions side by side, in memory, on the engine's own
 * {@link Timeline}: each version keeps its own account states, moved on event by event and due
 * instant by due instant exactly as the live engine moves them, so a backtest of the active version
 * over an account's whole history gives the CTA changes the engine made. Nothing touches live state.
 * One instance serves one shard of accounts on one thread, so per-account order holds.
 */
public final class BacktestSimulation implements Shard {

    /** Counts of one version's CTA changes, overall and by rule, segment, CSM and team. */
    static final class Tally {
        int opened;
        int closed;
        int escalated;
        final Map<String, Integer> openedByRule = new TreeMap<>();
        final Map<String, Integer> openedBySegment = new TreeMap<>();
        final Map<String, Integer> openedByCsm = new TreeMap<>();
        final Map<String, Integer> openedByTeam = new TreeMap<>();

        void merge(Tally other) {
            opened += other.opened;
            closed += other.closed;
            escalated += other.escalated;
            other.openedByRule.forEach((k, v) -> openedByRule.merge(k, v, Integer::sum));
            other.openedBySegment.forEach((k, v) -> openedBySegment.merge(k, v, Integer::sum));
            other.openedByCsm.forEach((k, v) -> openedByCsm.merge(k, v, Integer::sum));
            other.openedByTeam.forEach((k, v) -> openedByTeam.merge(k, v, Integer::sum));
        }
    }

    /** A moment where the two versions decided differently, to show ops what the numbers mean. */
    record Example(String accountId, String segment, String csm, String rule, Instant at, String openedOnlyUnder,
            Map<String, Object> explanation) {
    }

    /** One version's run: its timeline, its account states, its tally and every change it made. */
    static final class Run {
        final Timeline timeline;
        final Map<String, AccountState> states = new HashMap<>();
        final Tally tally = new Tally();
        final Set<Cta> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        final List<CtaChange> history;
        long failures;

        Run(ActiveRuleset.Compiled version, CtaReconciler reconciler, int firingLimit, boolean keepHistory) {
            this.timeline = new Timeline(version, reconciler, firingLimit, (state, ruleset, rule, message) -> failures++);
            this.history = keepHistory ? new ArrayList<>() : null;
        }
    }

    private static final int MAX_EXAMPLES = 10;

    private final Map<String, AccountState.Account> accounts;
    final Run baseline;
    final Run candidate;
    final List<Example> examples = new ArrayList<>();
    long evaluated;
    long skippedUnknownAccount;

    private final Set<String> seenEvents = new HashSet<>();

    /** @param keepHistory keep every change of the baseline and candidate, for {@link #baselineHistory()} */
    public BacktestSimulation(ActiveRuleset.Compiled baseline, ActiveRuleset.Compiled candidate,
            Map<String, AccountState.Account> accounts, CtaReconciler reconciler, int firingLimit, boolean keepHistory) {
        this.accounts = accounts;
        this.baseline = new Run(baseline, reconciler, firingLimit, keepHistory);
        this.candidate = new Run(candidate, reconciler, firingLimit, keepHistory);
    }

    @Override
    public void apply(TimedEvent timed) {
        AccountState.Account account = accounts.get(timed.event().accountId());
        if (account == null || account.segment() == null) {
            skippedUnknownAccount++;
            return;
        }
        if (!seenEvents.add(timed.event().eventId())) {
            return;
        }
        List<CtaChange> base = step(baseline, account, timed);
        List<CtaChange> cand = step(candidate, account, timed);
        evaluated++;
        if (examples.size() < MAX_EXAMPLES) {
            differences(cand, baseline.states.get(account.id()), account, "candidate");
            differences(base, candidate.states.get(account.id()), account, "baseline");
        }
    }

    @Override
    public void finish(Instant until) {
        for (Run run : List.of(baseline, candidate)) {
            for (AccountState state : run.states.values()) {
                List<CtaChange> changes = new ArrayList<>();
                run.timeline.advanceThrough(state, until, changes);
                tally(run, state.account(), changes);
            }
        }
    }

    /** Every CTA change the baseline version made, in order (when kept). */
    public List<CtaChange> baselineHistory() {
        return baseline.history;
    }

    private List<CtaChange> step(Run run, AccountState.Account account, TimedEvent timed) {
        AccountState state = run.states.computeIfAbsent(account.id(), id -> AccountState.empty(id, account));
        List<CtaChange> changes = new ArrayList<>();
        run.timeline.apply(state, timed.event(), timed.at(), changes);
        tally(run, account, changes);
        return changes;
    }

    private static void tally(Run run, AccountState.Account account, List<CtaChange> changes) {
        for (CtaChange change : changes) {
            if (run.history != null) {
                run.history.add(change);
            }
            CtaEvent event = change.event();
            boolean opened = run.seen.add(change.cta());
            if (opened) {
                run.tally.opened++;
                run.tally.openedByRule.merge(event.rule().rule(), 1, Integer::sum);
                run.tally.openedBySegment.merge(account.segment().name(), 1, Integer::sum);
                run.tally.openedByCsm.merge(account.csmId() == null ? "(none)" : account.csmId(), 1, Integer::sum);
                run.tally.openedByTeam.merge(account.team() == null ? "(none)" : account.team(), 1, Integer::sum);
            }
            if (event.kind() == CtaEvent.Kind.ESCALATED) {
                run.tally.escalated++;
            } else if (event.kind() == CtaEvent.Kind.CLOSED) {
                run.tally.closed++;
            }
        }
    }

    /** CTAs opened under one version that the other does not hold open at that moment. */
    private void differences(List<CtaChange> changes, AccountState other, AccountState.Account account, String under) {
        for (CtaChange change : changes) {
            CtaEvent event = change.event();
            boolean opening = event.kind() == CtaEvent.Kind.OPENED
                    || (event.kind() == CtaEvent.Kind.ESCALATED && event.occurredAt().equals(change.cta().openedAt));
            if (!opening || examples.size() >= MAX_EXAMPLES) {
                continue;
            }
            boolean heldByOther = other.notClosed().stream()
                    .anyMatch(c -> c.type.equals(event.type().name()) && c.reason.equals(event.reason()));
            if (!heldByOther) {
                examples.add(new Example(account.id(), account.segment().name(), account.csmId(), event.rule().rule(),
                        event.occurredAt(), under, event.explanation()));
            }
        }
    }
}
