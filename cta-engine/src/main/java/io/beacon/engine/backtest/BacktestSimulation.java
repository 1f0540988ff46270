package io.beacon.engine.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.kie.api.runtime.KieSession;

import io.beacon.contracts.Segment;
import io.beacon.contracts.TicketEvent;
import io.beacon.engine.domain.TicketState;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.EvaluationTime;
import io.beacon.engine.rules.model.OpenCta;
import io.beacon.engine.service.CtaService;
import io.beacon.engine.service.EvaluationService;
import io.beacon.engine.service.TicketStateService;

/**
 * Replays ticket events through two ruleset versions side by side, in memory: ticket snapshots are
 * kept as the engine keeps them (duplicates and older snapshots ignored), each event is evaluated
 * by both versions with the event's time as the clock, and each version's decisions drive its own
 * simulated CTAs. Nothing touches live state. One instance serves one shard of accounts on one
 * thread, so per-account order holds.
 */
final class BacktestSimulation {

    /** What a backtest knows of an account: the engine's current account view. */
    record Account(String id, Segment segment, String csmId, String team, java.math.BigDecimal arr,
            java.time.LocalDate renewalDate) {
    }

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

    private static final int MAX_EXAMPLES = 10;

    private final ActiveRuleset.Compiled baseline;
    private final ActiveRuleset.Compiled candidate;
    private final Map<String, Account> accounts;
    private final int firingLimit;
    final Tally baselineTally = new Tally();
    final Tally candidateTally = new Tally();
    final List<Example> examples = new ArrayList<>();
    long evaluated;
    long skippedUnknownAccount;
    long failures;

    private final Map<String, Map<String, TicketState>> tickets = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Map<String, OpenCta>> baselineOpen = new HashMap<>();
    private final Map<String, Map<String, OpenCta>> candidateOpen = new HashMap<>();

    BacktestSimulation(ActiveRuleset.Compiled baseline, ActiveRuleset.Compiled candidate, Map<String, Account> accounts,
            int firingLimit) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.accounts = accounts;
        this.firingLimit = firingLimit;
    }

    void apply(TicketEvent event) {
        Account account = accounts.get(event.accountId());
        if (account == null || account.segment() == null) {
            skippedUnknownAccount++;
            return;
        }
        if (!seen.add(event.eventId())) {
            return;
        }
        Map<String, TicketState> byTicket = tickets.computeIfAbsent(account.id(), a -> new LinkedHashMap<>());
        TicketState state = byTicket.get(event.ticket().id());
        if (state != null && !event.ticket().updatedAt().isAfter(state.updatedAt)) {
            return;
        }
        if (state == null) {
            state = new TicketState();
            state.accountId = account.id();
            state.ticketId = event.ticket().id();
            byTicket.put(state.ticketId, state);
        }
        TicketStateService.copy(event, state);
        Instant now = event.occurredAt() != null ? event.occurredAt() : event.ticket().updatedAt();
        AccountStats stats = EvaluationService.stats(account.id(), byTicket.values(), now);
        Map<String, Decisions.Decision> base = evaluate(baseline, account, stats, baselineOpen, baselineTally, now);
        Map<String, Decisions.Decision> cand = evaluate(candidate, account, stats, candidateOpen, candidateTally, now);
        evaluated++;
        if (base != null && cand != null && examples.size() < MAX_EXAMPLES) {
            Map<String, OpenCta> baseNow = baselineOpen.get(account.id());
            Map<String, OpenCta> candNow = candidateOpen.get(account.id());
            cand.forEach((key, d) -> {
                if (!baseNow.containsKey(key) && examples.size() < MAX_EXAMPLES) {
                    examples.add(new Example(account.id(), account.segment().name(), account.csmId(), d.rule(), now,
                            "candidate", d.explanation()));
                }
            });
            base.forEach((key, d) -> {
                if (!candNow.containsKey(key) && examples.size() < MAX_EXAMPLES) {
                    examples.add(new Example(account.id(), account.segment().name(), account.csmId(), d.rule(), now,
                            "baseline", d.explanation()));
                }
            });
        }
    }

    /** @return the CTAs this evaluation opened, by type/reason (null when the rules failed) */
    private Map<String, Decisions.Decision> evaluate(ActiveRuleset.Compiled version, Account account,
            AccountStats stats, Map<String, Map<String, OpenCta>> openByAccount, Tally tally, Instant now) {
        Map<String, OpenCta> open = openByAccount.computeIfAbsent(account.id(), a -> new HashMap<>());
        Decisions decisions = new Decisions();
        KieSession session = version.sessions().newKieSession();
        try {
            session.setGlobal("decisions", decisions);
            session.insert(new AccountFact(account.id(), account.segment(), account.csmId(), account.arr(),
                    account.renewalDate()));
            session.insert(version.ruleset().params());
            session.insert(new EvaluationTime(now));
            session.insert(stats);
            open.values().forEach(session::insert);
            if (session.fireAllRules(firingLimit) >= firingLimit) {
                failures++;
                return null;
            }
        } catch (RuntimeException e) {
            failures++;
            return null;
        } finally {
            session.dispose();
        }
        Map<String, Decisions.Decision> opened = new LinkedHashMap<>();
        for (Decisions.Decision decision : CtaService.merge(decisions.all())) {
            String key = decision.type() + "/" + decision.reason();
            OpenCta existing = open.get(key);
            if (decision.kind() == Decisions.Kind.RAISE) {
                if (existing == null) {
                    open.put(key, new OpenCta(key, decision.type(), decision.reason(), "OPEN", now, decision.escalated()));
                    opened.put(key, decision);
                    tally.opened++;
                    tally.openedByRule.merge(decision.rule(), 1, Integer::sum);
                    tally.openedBySegment.merge(account.segment().name(), 1, Integer::sum);
                    tally.openedByCsm.merge(account.csmId() == null ? "(none)" : account.csmId(), 1, Integer::sum);
                    tally.openedByTeam.merge(account.team() == null ? "(none)" : account.team(), 1, Integer::sum);
                    if (decision.escalated()) {
                        tally.escalated++;
                    }
                } else if (decision.escalated() && !existing.isEscalated()) {
                    open.put(key, new OpenCta(key, existing.getType(), existing.getReason(), "OPEN",
                            existing.getOpenedAt(), true));
                    tally.escalated++;
                }
            } else if (existing != null) {
                open.remove(key);
                tally.closed++;
            }
        }
        return opened;
    }
}
