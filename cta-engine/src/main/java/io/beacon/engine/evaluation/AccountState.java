package io.beacon.engine.evaluation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.beacon.contracts.Segment;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.tickets.TicketState;
import io.beacon.engine.rules.model.AccountFact;

/**
 * Everything evaluation knows of one account at one moment: the account itself (null until its
 * snapshot has arrived), its tickets, its CTAs that are not closed, and its clock — the instant it
 * was last evaluated at, in event time. The live engine loads it from the database and writes back
 * what changed; a backtest keeps it in memory. Either way {@link Timeline} is what moves it on.
 */
public final class AccountState {

    /** The account as rules see it, from its latest snapshot. */
    public record Account(String id, Segment segment, String csmId, String team, BigDecimal arr,
            LocalDate renewalDate) {

        AccountFact fact() {
            return new AccountFact(id, segment, csmId, arr, renewalDate);
        }
    }

    private final String accountId;
    private final Account account;
    private final Map<String, TicketState> tickets;
    private final List<Cta> ctas;
    private Instant clock;
    private Instant recheckAt;
    private final Set<TicketState> changedTickets = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Cta> createdCtas = new ArrayList<>();
    private boolean touched;

    /**
     * @param tickets the account's tickets by id (deleted ones too: a later event may bring them back)
     * @param notClosed its CTAs that are not closed
     * @param clock the instant it was last evaluated at, or null if never
     * @param recheckAt the instant its rules last asked to be evaluated again at, or null
     */
    public AccountState(String accountId, Account account, Map<String, TicketState> tickets, List<Cta> notClosed,
            Instant clock, Instant recheckAt) {
        this.accountId = accountId;
        this.account = account;
        this.tickets = new LinkedHashMap<>(tickets);
        this.ctas = new ArrayList<>(notClosed);
        this.clock = clock;
        this.recheckAt = recheckAt;
    }

    /**
     * A new state of the same account for another ruleset, holding the very same tickets (not a
     * copy): for replays that run several variants of a ruleset over one account's events (a sweep),
     * which apply each event to the tickets once ({@link Timeline#applyTicket}) and then evaluate
     * every variant. CTAs, clock and recheck are its own.
     */
    public static AccountState sharingTickets(AccountState other) {
        return new AccountState(other, other.account);
    }

    private AccountState(AccountState other, Account account) {
        this.accountId = other.accountId;
        this.account = account;
        this.tickets = other.tickets;
        this.ctas = new ArrayList<>();
        this.clock = other.clock;
        this.recheckAt = null;
    }

    /**
     * For replays that keep a state for a whole window: forgets the CTAs closed by now (rules only see
     * those that are not) and which CTAs were created and tickets changed (what the live engine writes
     * back), so the state's memory stays what is open.
     */
    public void forgetHistory() {
        ctas.removeIf(cta -> Cta.CLOSED.equals(cta.status));
        createdCtas.clear();
        changedTickets.clear();
    }

    /** A new account with nothing recorded yet. */
    public static AccountState empty(String accountId, Account account) {
        return new AccountState(accountId, account, Map.of(), List.of(), null, null);
    }

    public String accountId() {
        return accountId;
    }

    /** The account from its snapshot, or null while the engine has not seen one. */
    public Account account() {
        return account;
    }

    public Collection<TicketState> tickets() {
        return tickets.values();
    }

    TicketState ticket(String ticketId) {
        return tickets.get(ticketId);
    }

    void putTicket(TicketState ticket) {
        tickets.put(ticket.ticketId, ticket);
    }

    /** The CTAs that are not closed, oldest first. */
    public List<Cta> notClosed() {
        List<Cta> open = new ArrayList<>(ctas.size());
        for (Cta cta : ctas) {
            if (!Cta.CLOSED.equals(cta.status)) {
                open.add(cta);
            }
        }
        return open;
    }

    /** Every CTA this state has held: those loaded, and those created since (some may be closed by now). */
    public List<Cta> ctas() {
        return Collections.unmodifiableList(ctas);
    }

    public void addCta(Cta cta) {
        ctas.add(cta);
        createdCtas.add(cta);
    }

    public Instant clock() {
        return clock;
    }

    void clock(Instant at) {
        clock = at;
        touched = true;
    }

    /** When the rules last asked for the account to be evaluated again (see {@code Decisions.recheckAt}), or null. */
    public Instant recheckAt() {
        return recheckAt;
    }

    void recheckAt(Instant at) {
        recheckAt = at;
    }

    void ticketChanged(TicketState ticket) {
        changedTickets.add(ticket);
    }

    /** Tickets changed since the state was made: what the live engine writes back. */
    public Set<TicketState> changedTickets() {
        return changedTickets;
    }

    /** CTAs created since the state was made. */
    public List<Cta> createdCtas() {
        return createdCtas;
    }

    /**
     * Whether a CTA was opened for a (type, reason) whose earlier CTA, read with the state, was closed
     * meanwhile: the close must reach the database before the new one.
     */
    public boolean reopenedAReason() {
        if (createdCtas.isEmpty()) {
            return false;
        }
        for (Cta cta : ctas) {
            if (Cta.CLOSED.equals(cta.status) && !createdCtas.contains(cta)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the clock moved since the state was made. */
    public boolean clockMoved() {
        return touched;
    }

    /** Whether anything is open: tickets or CTAs. Only then does time passing matter to the account. */
    boolean hasOpenWork() {
        for (Cta cta : ctas) {
            if (!Cta.CLOSED.equals(cta.status)) {
                return true;
            }
        }
        for (TicketState t : tickets.values()) {
            if (!t.deleted && t.status.isOpen()) {
                return true;
            }
        }
        return false;
    }
}
