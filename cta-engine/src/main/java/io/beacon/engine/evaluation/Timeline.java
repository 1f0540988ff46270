package io.beacon.engine.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.tickets.TicketState;
import io.beacon.engine.rules.ActiveRuleset;

/**
 * Moves an account's state through time, one event or one due instant at a time, with one ruleset:
 * the single evaluation core of the engine. What it produces — the CTA changes, each at its instant
 * — depends only on the account's events (in their order), their times and the ruleset, never on how
 * the events were batched, how late they were consumed or whether the engine restarted in between:
 * <ul>
 * <li>each event is applied to its ticket (older snapshots of a ticket are ignored) and the account
 * is evaluated right after it, at the event's time (never earlier than the account's clock);</li>
 * <li>between two evaluations, time passes: every instant at which something a rule reads changes by
 * itself — a CTA's age in whole days, a day boundary (days to renewal), a ticket leaving the 24-hour
 * or 30-day window, an open ticket's resolution deadline, a snooze ending — is a due instant, and the
 * account is evaluated at each, in order, before the next event. Only accounts with open tickets or
 * CTAs have due instants.</li>
 * </ul>
 * Deduplicating events by id is the caller's job (the live engine records ids in the same transaction).
 */
public final class Timeline {

    /** What happens to a rule run that failed: recorded against rule and account by the caller. */
    public interface FailureSink {
        void failed(AccountState state, ActiveRuleset.Compiled ruleset, String rule, String message);
    }

    private final ActiveRuleset.Compiled ruleset;
    private final CtaReconciler reconciler;
    private final int firingLimit;
    private final FailureSink failures;
    private long evaluations;

    public Timeline(ActiveRuleset.Compiled ruleset, CtaReconciler reconciler, int firingLimit, FailureSink failures) {
        this.ruleset = ruleset;
        this.reconciler = reconciler;
        this.firingLimit = firingLimit;
        this.failures = failures;
    }

    public ActiveRuleset.Compiled ruleset() {
        return ruleset;
    }

    /** How many evaluations this timeline has run. */
    public long evaluations() {
        return evaluations;
    }

    /**
     * Applies one event that has not been seen before, at instant {@code at} (its event time).
     *
     * @return false when it was older than the ticket's stored snapshot and so changed nothing
     */
    public boolean apply(AccountState state, TicketEvent event, Instant at, List<CtaChange> out) {
        Instant now = passTimeBefore(state, at, out);
        if (!applyTicket(state, event)) {
            return false;
        }
        evaluate(state, now, out);
        return true;
    }

    /**
     * The first half of {@link #apply}, for replays of several rulesets over shared tickets: lets time
     * pass up to (not including) the instant an event at {@code at} is evaluated at, and returns that
     * instant. Then the event goes to the tickets once ({@link #applyTicket}) and each ruleset's state is
     * evaluated with {@link #evaluateAt}.
     */
    public Instant passTimeBefore(AccountState state, Instant at, List<CtaChange> out) {
        Instant now = state.clock() == null || at.isAfter(state.clock()) ? micros(at) : state.clock();
        advance(state, now, false, out);
        return now;
    }

    /** The second half of {@link #apply}: evaluates the account at {@code now} after its tickets changed. */
    public void evaluateAt(AccountState state, Instant now, List<CtaChange> out) {
        evaluate(state, now, out);
    }

    /**
     * Applies an event to its ticket only: no evaluation, the clock stays. For an account whose
     * snapshot has not arrived yet (its events are replayed through {@link #apply} once it has).
     *
     * @return false when it was older than the ticket's stored snapshot and so changed nothing
     */
    public static boolean applyTicket(AccountState state, TicketEvent event) {
        TicketState ticket = state.ticket(event.ticket().id());
        if (ticket != null && !micros(event.ticket().updatedAt()).isAfter(ticket.updatedAt)) {
            return false;
        }
        if (ticket == null) {
            ticket = new TicketState();
            ticket.accountId = state.accountId();
            ticket.ticketId = event.ticket().id();
            state.putTicket(ticket);
        }
        copy(event, ticket);
        state.ticketChanged(ticket);
        return true;
    }

    /** Evaluates the account at every due instant up to and including {@code until}. */
    public void advanceThrough(AccountState state, Instant until, List<CtaChange> out) {
        advance(state, micros(until), true, out);
    }

    /** Evaluates the account at its clock without moving it, after its snapshot changed. */
    public void evaluateAtClock(AccountState state, List<CtaChange> out) {
        if (state.clock() != null) {
            evaluate(state, state.clock(), out);
        }
    }

    private void advance(AccountState state, Instant until, boolean inclusive, List<CtaChange> out) {
        for (Instant due = nextDue(state); due != null; due = nextDue(state)) {
            int order = due.compareTo(until);
            if (order > 0 || (order == 0 && !inclusive)) {
                return;
            }
            evaluate(state, due, out);
        }
    }

    private void evaluate(AccountState state, Instant now, List<CtaChange> out) {
        state.clock(now);
        reconciler.endSnoozes(state, now, out);
        if (state.account() == null || state.account().segment() == null) {
            return;
        }
        evaluations++;
        RuleRun.Result result = RuleRun.decide(ruleset.sessions().newKieSession(),
                Facts.of(state, ruleset.ruleset().params(), now), firingLimit);
        if (result.failed()) {
            failures.failed(state, ruleset, result.failedRule(), result.failure());
            return;
        }
        String unusable = result.decisions().recheckProblem(now);
        if (unusable != null) {
            failures.failed(state, ruleset, null, unusable);
            return;
        }
        state.recheckAt(result.decisions().recheckAfter(now));
        reconciler.apply(state, result.decisions().all(), ruleset.ruleset(), now, out);
    }

    /**
     * The first instant after the account's clock at which something rules read changes without an
     * event, or at which its rules asked to be evaluated again; null when nothing is open and nothing
     * was asked for (or the account is unknown or was never evaluated).
     */
    public static Instant nextDue(AccountState state) {
        Instant clock = state.clock();
        if (clock == null || state.account() == null) {
            return null;
        }
        Instant asked = state.recheckAt() != null && state.recheckAt().isAfter(clock) ? state.recheckAt() : null;
        if (!state.hasOpenWork()) {
            return asked;
        }
        Instant next = nextDayStart(clock);
        next = asked == null ? next : earlier(next, asked);
        for (Cta cta : state.notClosed()) {
            if (!cta.openedAt.isAfter(clock)) {
                long days = Duration.between(cta.openedAt, clock).toDays() + 1;
                next = earlier(next, cta.openedAt.plus(Duration.ofDays(days)));
            }
            if (Cta.SNOOZED.equals(cta.status) && cta.snoozedUntil != null) {
                next = earlier(next, cta.snoozedUntil.isAfter(clock) ? cta.snoozedUntil : clock.plusNanos(1_000));
            }
        }
        for (TicketState t : state.tickets()) {
            if (!t.deleted && t.createdAt != null) {
                next = after(clock, next, t.createdAt.plus(Duration.ofHours(24)));
                next = after(clock, next, t.createdAt.plus(Duration.ofDays(30)));
            }
            if (!t.deleted && t.status.isOpen() && t.resolutionDueAt != null) {
                next = after(clock, next, t.resolutionDueAt);
            }
        }
        return next;
    }

    /** Seconds in a UTC day: day boundaries are whole multiples of it (UTC has no offset changes; leap seconds are not counted). */
    private static final long DAY = 86_400;

    /** The first UTC midnight after {@code at}, in arithmetic (this runs for every due instant of every account). */
    static Instant nextDayStart(Instant at) {
        return Instant.ofEpochSecond((Math.floorDiv(at.getEpochSecond(), DAY) + 1) * DAY);
    }

    private static Instant earlier(Instant a, Instant b) {
        return b.isBefore(a) ? b : a;
    }

    private static Instant after(Instant clock, Instant next, Instant candidate) {
        return candidate.isAfter(clock) ? earlier(next, candidate) : next;
    }

    /** How far ahead of its Kafka timestamp an event's own time may be; later is taken as the timestamp plus this. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * An event's time: when it happened at its source, but no later than shortly after Kafka
     * received it, so a producer with a wrong clock cannot move an account into the future. Both
     * come from the record, so a replay of the topic finds the same times.
     *
     * @param recordTimestamp the record's Kafka timestamp in epoch milliseconds, negative when none
     */
    public static Instant eventTime(TicketEvent event, long recordTimestamp) {
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.ticket().updatedAt();
        if (recordTimestamp >= 0) {
            Instant latest = Instant.ofEpochMilli(recordTimestamp).plus(CLOCK_SKEW);
            at = at.isAfter(latest) ? latest : at;
        }
        return micros(at);
    }

    /** Instants as the database keeps them (microseconds), so a state read back decides as the one in memory. */
    static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** Applies one event to a ticket snapshot (status, priority, SLA, reopen count). */
    static void copy(TicketEvent event, TicketState state) {
        TicketEvent.Ticket ticket = event.ticket();
        if (state.status != null && !state.status.isOpen() && ticket.status().isOpen()) {
            state.reopenCount++;
        }
        state.status = ticket.status();
        state.priority = ticket.priority();
        state.kind = ticket.type();
        state.subject = ticket.subject();
        state.createdAt = ticket.createdAt() == null ? null : micros(ticket.createdAt());
        state.updatedAt = micros(ticket.updatedAt());
        if (ticket.sla() != null) {
            state.firstReplyDueAt = ticket.sla().firstReplyDueAt() == null ? null : micros(ticket.sla().firstReplyDueAt());
            state.resolutionDueAt = ticket.sla().resolutionDueAt() == null ? null : micros(ticket.sla().resolutionDueAt());
            state.slaBreached = ticket.sla().breached();
        }
        state.slaBreached |= event.type() == TicketEvent.Type.SLA_BREACHED;
        state.deleted = event.type() == TicketEvent.Type.DELETED;
        state.lastEventId = event.eventId();
        state.source = event.source() == null ? null : event.source().name().toLowerCase(java.util.Locale.ROOT);
    }
}
