package io.beacon.notify.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.accountview.AccountView;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Inputs as the other services publish them, with ids unique to each test. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Publishes an account snapshot and waits until the service's account view has it. */
    public static void account(BeaconTestInfra infra, String accountId, String name, String segment, String csmId,
            String csmName, String csmEmail, String team) {
        account(infra, accountId, name, segment, csmId, csmName, csmEmail, team, null);
    }

    /** An account whose CSM's team is led by {@code teamLead} (a CSM id, or null). */
    public static void account(BeaconTestInfra infra, String accountId, String name, String segment, String csmId,
            String csmName, String csmEmail, String team, String teamLead) {
        String lead = teamLead == null ? "" : ",\"teamLead\":\"" + teamLead + "\"";
        String csm = csmId == null ? "" : """
                ,"csm":{"id":"%s","name":"%s","email":"%s","team":"%s"%s}""".formatted(csmId, csmName, csmEmail, team, lead);
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, accountId, """
                {"accountId":"%s","name":"%s","employees":250,"segment":"%s","arr":120000.00,"version":1%s}
                """.formatted(accountId, name, segment, csm));
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> AccountView.findById(accountId) != null));
    }

    public static String cta(String eventId, String ctaId, String kind, String account, String owner, String priority,
            boolean escalated, String reason) {
        String ownerField = owner == null ? "" : "\"ownerCsmId\":\"" + owner + "\",";
        return """
                {"eventId":"%s","ctaId":"%s","kind":"%s","accountId":"%s","type":"RISK","reason":"%s",
                 "priority":"%s","escalated":%s,%s
                 "rule":{"ruleset":"support","version":3,"rule":"SupportRiskOpenTickets"},
                 "explanation":{"openTickets":5,"threshold":5,"ticketIds":["T-1","T-2","T-3","T-4","T-5"],"segment":"MARS"}}
                """.formatted(eventId, ctaId, kind, account, reason, priority, escalated, ownerField);
    }
}
