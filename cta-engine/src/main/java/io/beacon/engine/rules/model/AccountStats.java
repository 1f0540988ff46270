package io.beacon.engine.rules.model;

import java.util.List;

/** Counts over the account's current ticket snapshots (deleted tickets excluded). */
public class AccountStats {

    private final String accountId;
    private final int openTickets;
    private final int openUrgent;
    private final int openHigh;
    private final List<String> openTicketIds;

    public AccountStats(String accountId, int openTickets, int openUrgent, int openHigh, List<String> openTicketIds) {
        this.accountId = accountId;
        this.openTickets = openTickets;
        this.openUrgent = openUrgent;
        this.openHigh = openHigh;
        this.openTicketIds = List.copyOf(openTicketIds);
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

    public List<String> getOpenTicketIds() {
        return openTicketIds;
    }
}
