package io.beacon.engine.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.tickets.TicketState;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;

/**
 * The live engine's way of working, without its database: a batch reads the committed state of its
 * accounts (copies, as a database read gives), applies its events on one {@link Timeline}, and
 * commits state, seen event ids and CTA events together — or, on a crash, commits nothing.
 */
final class InMemoryEngine {

    private final Timeline timeline;
    private final Map<String, AccountState.Account> accounts;
    private final Map<String, AccountState> committed = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final List<CtaEvent> published = new ArrayList<>();

    InMemoryEngine(Timeline timeline, Map<String, AccountState.Account> accounts) {
        this.timeline = timeline;
        this.accounts = accounts;
    }

    /** One consumed batch; {@code crash} throws it away after the work, before the commit. */
    void batch(List<TimedEvent> events, boolean crash) {
        Set<String> firstTime = new HashSet<>();
        Map<String, AccountState> states = new LinkedHashMap<>();
        List<CtaChange> changes = new ArrayList<>();
        for (TimedEvent event : events) {
            if (seen.contains(event.event().eventId()) || !firstTime.add(event.event().eventId())) {
                continue;
            }
            AccountState state = states.computeIfAbsent(event.event().accountId(), this::read);
            timeline.apply(state, event.event(), event.at(), changes);
        }
        if (!crash) {
            seen.addAll(firstTime);
            commit(states, changes);
        }
    }

    /** The schedule: time passes for every account up to {@code until}. */
    void advanceThrough(Instant until) {
        Map<String, AccountState> states = new LinkedHashMap<>();
        List<CtaChange> changes = new ArrayList<>();
        for (String id : List.copyOf(committed.keySet())) {
            AccountState state = read(id);
            states.put(id, state);
            timeline.advanceThrough(state, until, changes);
        }
        commit(states, changes);
    }

    List<CtaEvent> published() {
        return published;
    }

    private void commit(Map<String, AccountState> states, List<CtaChange> changes) {
        states.forEach((id, state) -> committed.put(id, copy(state)));
        changes.forEach(c -> published.add(c.event()));
    }

    private AccountState read(String accountId) {
        AccountState stored = committed.get(accountId);
        return stored == null ? AccountState.empty(accountId, accounts.get(accountId)) : copy(stored);
    }

    /** What a database round trip gives: fresh objects, closed CTAs left behind. */
    private static AccountState copy(AccountState state) {
        Map<String, TicketState> tickets = new LinkedHashMap<>();
        for (TicketState t : state.tickets()) {
            TicketState c = new TicketState();
            c.accountId = t.accountId;
            c.ticketId = t.ticketId;
            c.status = t.status;
            c.priority = t.priority;
            c.kind = t.kind;
            c.subject = t.subject;
            c.createdAt = t.createdAt;
            c.updatedAt = t.updatedAt;
            c.firstReplyDueAt = t.firstReplyDueAt;
            c.resolutionDueAt = t.resolutionDueAt;
            c.slaBreached = t.slaBreached;
            c.deleted = t.deleted;
            c.reopenCount = t.reopenCount;
            c.lastEventId = t.lastEventId;
            tickets.put(c.ticketId, c);
        }
        List<Cta> ctas = new ArrayList<>();
        for (Cta cta : state.notClosed()) {
            Cta c = new Cta();
            c.id = cta.id;
            c.accountId = cta.accountId;
            c.type = cta.type;
            c.reason = cta.reason;
            c.status = cta.status;
            c.priority = cta.priority;
            c.escalated = cta.escalated;
            c.dueAt = cta.dueAt;
            c.ownerCsmId = cta.ownerCsmId;
            c.ruleset = cta.ruleset;
            c.rulesetVersion = cta.rulesetVersion;
            c.ruleName = cta.ruleName;
            c.explanation = cta.explanation;
            c.closeReason = cta.closeReason;
            c.openedAt = cta.openedAt;
            c.updatedAt = cta.updatedAt;
            c.closedAt = cta.closedAt;
            c.snoozedUntil = cta.snoozedUntil;
            c.closeComment = cta.closeComment;
            c.escalatedAt = cta.escalatedAt;
            ctas.add(c);
        }
        return new AccountState(state.accountId(), state.account(), tickets, ctas, state.clock(), state.recheckAt());
    }
}
