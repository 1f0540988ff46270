package io.beacon.system;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.beacon.system.SeedFiles.Account;
import io.beacon.system.SeedFiles.Csm;
import io.beacon.system.SeedFiles.Seeds;

/**
 * What a fault-free run must end with, computed from the accepted events, the seed files and the
 * rule parameters — none of Beacon's code is used.
 */
final class FaultOracle {
    private final Map<String, Integer> tickets = new TreeMap<>();
    private final Map<String, Integer> ctas = new TreeMap<>();
    private final Map<String, Integer> pushed = new TreeMap<>();
    private final Map<String, Integer> inbox = new TreeMap<>();
    private final Map<String, Integer> mails = new TreeMap<>();

    /**
     * @param params the parameters of the ruleset the engine runs (thresholds, segments that escalate, renewal window)
     * @param execs where escalations are e-mailed; {@code queue} where CTAs of accounts without a CSM go
     */
    FaultOracle(Seeds seeds, Map<String, Csm> owners, java.util.Collection<Event> accepted, Map<String, List<String>> leads,
            RuleParams params, String execs, String queue) {
        // The newest version of each ticket wins, whatever order the versions came in.
        Map<String, Event> newest = new HashMap<>();
        for (Event e : accepted) {
            newest.merge(e.accountId() + "/" + e.ticketId(), e,
                    (a, b) -> b.updatedAt().isAfter(a.updatedAt()) ? b : a);
        }
        Map<String, List<Event>> byAccount = new HashMap<>();
        newest.forEach((key, e) -> {
            tickets.merge(key + " " + e.status().toUpperCase() + "/" + e.priority().toUpperCase() + "/"
                    + e.updatedAt().toEpochMilli(), 1, Integer::sum);
            byAccount.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e);
        });
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        byAccount.forEach((accountId, open) -> {
            Account account = seeds.accounts().get(accountId);
            String segment = SeedFiles.segment(account.employees());
            long urgent = open.stream().filter(e -> e.priority().equals("urgent")).count();
            long high = open.stream().filter(e -> e.priority().equals("high")).count();
            List<String> raised = new ArrayList<>();
            if (open.size() >= params.get("supportRisk.openTickets", segment)) {
                raised.add("support-risk");
            }
            if (urgent > 0 && params.get("urgentTicket.escalate", segment) == 1) {
                raised.add("urgent-ticket");
            }
            long days = account.renewal() == null ? -1 : ChronoUnit.DAYS.between(today, account.renewal());
            if (urgent + high > 0 && days >= 0 && days <= params.get("renewal.windowDays", segment)) {
                raised.add("renewal-at-risk");
            }
            Csm owner = owners.get(accountId);
            for (String reason : raised) {
                boolean escalated = !reason.equals("support-risk");
                ctas.merge(accountId + " " + reason + " OPEN" + (escalated ? " escalated" : ""), 1, Integer::sum);
                String kind = escalated ? "ESCALATED" : "OPENED";
                pushed.merge(accountId + " " + reason + " " + kind, 1, Integer::sum);
                String tag = escalated ? " escalation" : "";
                if (owner != null) {
                    inbox.merge(owner.id() + " " + accountId + " " + kind, 1, Integer::sum);
                    mails.merge(owner.email() + " " + accountId + tag, 1, Integer::sum);
                } else {
                    inbox.merge("queue:" + segment + " " + accountId + " " + kind, 1, Integer::sum);
                    mails.merge(queue + " " + accountId + tag, 1, Integer::sum);
                }
                if (escalated) {
                    String leadId = owner == null ? null : leads.getOrDefault(owner.team(), List.of()).stream()
                            .findFirst().orElse(null);
                    if (leadId != null && !leadId.equals(owner.id())) {
                        inbox.merge(leadId + " " + accountId + " " + kind, 1, Integer::sum);
                        mails.merge(seeds.csms().get(leadId).email() + " " + accountId + tag, 1, Integer::sum);
                    }
                    mails.merge(execs + " " + accountId + tag, 1, Integer::sum);
                }
            }
        });
    }

    Map<String, Integer> tickets() {
        return tickets;
    }

    Map<String, Integer> ctas() {
        return ctas;
    }

    Map<String, Integer> pushedChanges() {
        return pushed;
    }

    Map<String, Integer> inbox() {
        return inbox;
    }

    Map<String, Integer> mails() {
        return mails;
    }
}
