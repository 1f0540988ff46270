package io.beacon.notify.intake;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.beacon.contracts.CtaEvent;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.accountview.AccountView;
import io.beacon.notify.delivery.Channel;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides who hears of a CTA change, and where. The owner is the CTA's owner (someone may have given
 * it to another CSM), else the account's CSM in the local account view; without one, the change goes
 * to the team's queue rather than nowhere. An escalation also reaches the lead of the owner's team —
 * as account-service names it, so the one person the engine lets open the team's CTAs — and the
 * executive escalation list.
 */
@ApplicationScoped
public class Routing {

    /** Kinds that ask a person to act; the others (updated, snoozed, closed) are recorded in the inbox only. */
    static final Set<CtaEvent.Kind> PUSHED = EnumSet.of(CtaEvent.Kind.OPENED, CtaEvent.Kind.REOPENED,
            CtaEvent.Kind.ESCALATED, CtaEvent.Kind.REASSIGNED);

    public static final String QUEUE_PREFIX = "queue:";
    public static final String EXECUTIVE_PREFIX = "exec:";

    private final NotifyConfig config;

    Routing(NotifyConfig config) {
        this.config = config;
    }

    /** One recipient of one change. */
    public record Target(String recipientId, RecipientRole role, String name, String email, String team) {
    }

    /** One delivery to make: a target on a channel at an address (e-mail address, webhook URL, inbox id). */
    public record Route(Target target, Channel channel, String address) {
    }

    public static boolean isEscalation(CtaEvent event) {
        return event.kind() == CtaEvent.Kind.ESCALATED || event.escalated();
    }

    public List<Route> routes(CtaEvent event, AccountView account, Function<String, Recipient> directory) {
        List<Target> targets = targets(event, account, directory);
        List<Route> routes = new ArrayList<>();
        Set<String> webhookUrls = new LinkedHashSet<>();
        boolean pushed = PUSHED.contains(event.kind());
        for (Target target : targets) {
            if (target.recipientId().equals(event.actor())) {
                continue; // nobody is told about what they did themselves
            }
            if (target.role() != RecipientRole.EXECUTIVE) {
                routes.add(new Route(target, Channel.INBOX, target.recipientId()));
            }
            if (!pushed) {
                continue;
            }
            if (target.email() != null && !target.email().isBlank()) {
                routes.add(new Route(target, Channel.EMAIL, target.email()));
            }
            if (target.role() != RecipientRole.EXECUTIVE) {
                // One chat post per channel and change: the owner's and the lead's team share it.
                webhookUrl(target.team()).filter(webhookUrls::add)
                        .ifPresent(url -> routes.add(new Route(target, Channel.WEBHOOK, url)));
            }
        }
        return routes;
    }

    List<Target> targets(CtaEvent event, AccountView account, Function<String, Recipient> directory) {
        List<Target> targets = new ArrayList<>();
        String ownerId = blankToNull(event.ownerCsmId()) != null ? event.ownerCsmId()
                : account != null ? account.csmId : null;
        Recipient owner = ownerId == null ? null : directory.apply(ownerId);
        String team = owner != null && owner.team != null ? owner.team : account != null ? account.csmTeam : null;
        if (ownerId != null) {
            targets.add(new Target(ownerId, RecipientRole.OWNER, owner != null ? owner.name : null,
                    owner != null ? owner.email : null, team));
        } else {
            String queue = QUEUE_PREFIX + (team != null ? team
                    : account != null && account.segment != null ? account.segment.name() : "unassigned");
            targets.add(new Target(queue, RecipientRole.TEAM_QUEUE, "Team queue", config.queueEmail().orElse(null), team));
        }
        if (event.kind() != CtaEvent.Kind.ESCALATED) {
            return targets;
        }
        String leadId = owner != null ? blankToNull(owner.teamLead) : null;
        if (leadId != null && !leadId.equals(ownerId)) {
            Recipient lead = directory.apply(leadId);
            targets.add(new Target(leadId, RecipientRole.TEAM_LEAD, lead != null ? lead.name : null,
                    lead != null ? lead.email : null, team));
        }
        for (String email : config.escalations().emails().orElse(List.of())) {
            targets.add(new Target(EXECUTIVE_PREFIX + email, RecipientRole.EXECUTIVE, null, email, null));
        }
        return targets;
    }

    private Optional<String> webhookUrl(String team) {
        NotifyConfig.Team teamConfig = team == null ? null : config.teams().get(team);
        if (teamConfig != null && teamConfig.webhookUrl().isPresent()) {
            return teamConfig.webhookUrl();
        }
        return config.webhook().url().filter(url -> !url.isBlank());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
