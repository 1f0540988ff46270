package io.beacon.engine.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.tickets.TicketState;
import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.EvaluationTime;
import io.beacon.engine.rules.model.OpenCta;
import io.beacon.engine.rules.model.Params;

/**
 * The one place that turns what the engine knows into the facts a rule session sees: the account,
 * the ruleset's parameters, the evaluation instant, the counts over its tickets at that instant and
 * its CTAs that are not closed. Live processing, backtests and scenario tests all start here.
 */
public final class Facts {

    private Facts() {
    }

    /** The facts for one evaluation of {@code account} at {@code now}. */
    public static List<Object> of(AccountFact account, Params params, Instant now, AccountStats stats,
            Collection<OpenCta> open) {
        List<Object> facts = new ArrayList<>(4 + open.size());
        facts.add(account);
        facts.add(params);
        facts.add(new EvaluationTime(now));
        facts.add(stats);
        facts.addAll(open);
        return facts;
    }

    /** The facts of an account state at {@code now}. */
    public static List<Object> of(AccountState state, Params params, Instant now) {
        List<OpenCta> open = new ArrayList<>();
        for (Cta cta : state.notClosed()) {
            if (cta.manual()) {
                continue; // rules reason about their own CTAs
            }
            open.add(new OpenCta(cta.id, cta.type, cta.reason, cta.status, cta.openedAt, cta.escalated));
        }
        return of(state.account().fact(), params, now, stats(state.account().id(), state.tickets(), now), open);
    }

    /** The per-account numbers rules read, over the tickets as they are at {@code now}. */
    public static AccountStats stats(String accountId, Collection<TicketState> tickets, Instant now) {
        List<String> openIds = new ArrayList<>();
        Map<String, Integer> reopens = new HashMap<>();
        int urgent = 0;
        int high = 0;
        int breached = 0;
        int last24h = 0;
        int last30d = 0;
        Instant dayAgo = now.minus(Duration.ofHours(24));
        Instant monthAgo = now.minus(Duration.ofDays(30));
        for (TicketState t : tickets) {
            if (t.deleted) {
                continue;
            }
            if (t.status.isOpen()) {
                openIds.add(t.ticketId);
                urgent += t.priority == TicketEvent.Priority.URGENT ? 1 : 0;
                high += t.priority == TicketEvent.Priority.HIGH ? 1 : 0;
                // Breached as the desk says, or because the resolution deadline has passed with the ticket open.
                breached += t.slaBreached || (t.resolutionDueAt != null && !now.isBefore(t.resolutionDueAt)) ? 1 : 0;
                reopens.put(t.ticketId, t.reopenCount);
            }
            if (t.createdAt != null && !t.createdAt.isAfter(now)) {
                last24h += t.createdAt.isAfter(dayAgo) ? 1 : 0;
                last30d += t.createdAt.isAfter(monthAgo) ? 1 : 0;
            }
        }
        openIds.sort(null);
        return new AccountStats(accountId, openIds.size(), urgent, high, breached, openIds, reopens, last24h, last30d);
    }
}
