package io.beacon.engine.rules.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts over the account's current ticket snapshots (deleted tickets excluded), at evaluation time. */
public class AccountStats {

    private final String accountId;
    private final int openTickets;
    private final int openUrgent;
    private final int openHigh;
    private final int openSlaBreached;
    private final List<String> openTicketIds;
    private final Map<String, Integer> openReopenCounts;
    private final int createdLast24h;
    private final int createdLast30d;

    public AccountStats(String accountId, int openTickets, int openUrgent, int openHigh, int openSlaBreached,
            List<String> openTicketIds, Map<String, Integer> openReopenCounts, int createdLast24h, int createdLast30d) {
        this.accountId = accountId;
        this.openTickets = openTickets;
        this.openUrgent = openUrgent;
        this.openHigh = openHigh;
        this.openSlaBreached = openSlaBreached;
        this.openTicketIds = List.copyOf(openTicketIds);
        this.openReopenCounts = new TreeMap<>(openReopenCounts);
        this.createdLast24h = createdLast24h;
        this.createdLast30d = createdLast30d;
    }

    public String getAccountId() {
        return accountId;
    }

    public int getOpenTickets() {
        return openTickets;
    }

    public int getOpenUrgent() {
        return openUrgent;
    }

    public int getOpenHigh() {
        return openHigh;
    }

    public int getOpenSlaBreached() {
        return openSlaBreached;
    }

    public List<String> getOpenTicketIds() {
        return openTicketIds;
    }

    /** The highest reopen count among open tickets. */
    public int getMaxReopenCount() {
        return openReopenCounts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Open tickets reopened at least {@code times} times. */
    public List<String> ticketsReopenedAtLeast(int times) {
        return openReopenCounts.entrySet().stream().filter(e -> e.getValue() >= times).map(Map.Entry::getKey).toList();
    }

    /** Tickets created in the 24 hours before evaluation time. */
    public int getCreatedLast24h() {
        return createdLast24h;
    }

    /** Tickets created in the 30 days before evaluation time (including the last 24 hours). */
    public int getCreatedLast30d() {
        return createdLast30d;
    }
}
