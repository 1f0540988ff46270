package io.beacon.notify.rest;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.notify.domain.InboxItem;
import io.beacon.notify.service.InboxService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/inbox")
@Tag(name = "Inbox")
public class InboxResource {

    private final InboxService inbox;
    private final JsonWebToken caller;

    InboxResource(InboxService inbox, JsonWebToken caller) {
        this.inbox = inbox;
        this.caller = caller;
    }

    public record Item(long id, String ctaId, String accountId, String kind, String ctaType, String priority,
            boolean escalated, String title, Instant createdAt, boolean read) {

        static Item from(InboxItem i) {
            return new Item(i.id, i.ctaId, i.accountId, i.kind, i.ctaType, i.priority, i.escalated, i.title,
                    i.createdAt, i.readAt != null);
        }
    }

    @GET
    @RolesAllowed(Roles.CSM)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's own notifications, newest first")
    public List<Item> mine(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return inbox.inbox(caller.getName(), limit).stream().map(Item::from).toList();
    }
}
