package io.beacon.notify.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.accountview.AccountView;
import io.beacon.contracts.Roles;
import io.beacon.notify.accounts.CallerRecipient;
import io.beacon.notify.intake.Recipient;
import io.beacon.notify.intake.RecipientRole;
import io.beacon.platform.errors.Refusal;
import io.beacon.platform.rest.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** What Beacon told people about an account's CTAs: each change and where it went. */
@Path("/api/v1/accounts/{accountId}/notifications")
@Tag(name = "Deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class AccountNotificationsResource {

    private final JsonWebToken caller;
    private final CallerRecipient me;

    AccountNotificationsResource(JsonWebToken caller, CallerRecipient me) {
        this.caller = caller;
        this.me = me;
    }

    /** One delivery of a change: to whom (as which role), on which channel, and how it went. */
    public record Sent(String recipientId, RecipientRole role, Channel channel, DeliveryStatus status, Instant sentAt) {
    }

    /** One CTA change and its deliveries. */
    public record Told(String eventId, String ctaId, String kind, String priority, boolean escalated, Instant receivedAt,
            List<Sent> deliveries) {
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Transactional
    @Operation(summary = "Notifications sent about an account's CTAs, newest first, with their deliveries",
            description = "A CSM sees them for the accounts they own or whose team they lead. `limit` is 1 to 200 (default 50).")
    public List<Told> list(@PathParam("accountId") String accountId, @QueryParam("limit") String limit) {
        int max = QueryParams.integer("limit", limit, 50, 1, 200);
        if (onlyCsm() && !mayOpen(accountId)) {
            throw Refusal.notFound("No notifications for account '" + accountId + "' that you may see.");
        }
        List<Notification> notifications = Notification.find("accountId = ?1 order by receivedAt desc, eventId", accountId)
                .page(0, max).list();
        if (notifications.isEmpty()) {
            return List.of();
        }
        Map<String, List<Sent>> byEvent = new LinkedHashMap<>();
        for (Delivery d : Delivery.<Delivery> list("eventId in ?1 order by id",
                notifications.stream().map(n -> n.eventId).toList())) {
            byEvent.computeIfAbsent(d.eventId, e -> new ArrayList<>())
                    .add(new Sent(d.recipientId, d.recipientRole, d.channel, d.status, d.sentAt));
        }
        return notifications.stream().map(n -> new Told(n.eventId, n.ctaId, n.kind, n.priority, n.escalated, n.receivedAt,
                byEvent.getOrDefault(n.eventId, List.of()))).toList();
    }

    private boolean onlyCsm() {
        return !caller.getGroups().contains(Roles.EXEC) && !caller.getGroups().contains(Roles.ADMIN);
    }

    /** The account's CSM, or the lead of that CSM's team. */
    private boolean mayOpen(String accountId) {
        AccountView account = AccountView.findById(accountId);
        if (account == null || account.csmId == null) {
            return false;
        }
        if (account.csmId.equals(me.id())) {
            return true;
        }
        Recipient csm = Recipient.findById(account.csmId);
        return csm != null && me.id().equals(csm.teamLead);
    }
}
