package io.beacon.notify.inbox;

import io.beacon.platform.errors.Refusal;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.beacon.notify.accounts.CallerRecipient;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.beacon.contracts.Roles;
import io.smallrye.mutiny.Multi;
import io.beacon.platform.rest.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The caller's in-app inbox: the token's subject is the CSM id. */
@Path("/api/v1/inbox")
@Tag(name = "Inbox")
@RolesAllowed(Roles.CSM)
public class InboxResource {

    private final InboxService inbox;
    private final InboxFeed feed;
    private final JsonWebToken caller;
    private final CallerRecipient me;

    InboxResource(InboxService inbox, InboxFeed feed, JsonWebToken caller, CallerRecipient me) {
        this.me = me;
        this.inbox = inbox;
        this.feed = feed;
        this.caller = caller;
    }

    public record Item(long id, String eventId, String ctaId, String accountId, String accountName, String segment,
            String kind, String ctaType, String priority, boolean escalated, String title, String body, String link,
            Instant createdAt, boolean read) {

        static Item from(InboxItem i) {
            return new Item(i.id, i.ctaEventId, i.ctaId, i.accountId, i.accountName, i.segment, i.kind, i.ctaType,
                    i.priority, i.escalated, i.title, i.body, i.link, i.createdAt, i.readAt != null);
        }
    }

    /** One server-sent event: {@code subscribed} (with the unread count), {@code insert} or {@code update}. */
    public record Change(String op, Item item, long unread) {

        static Change from(InboxFeed.Change change) {
            return new Change(change.op(), change.item() == null ? null : Item.from(change.item()), change.unread());
        }
    }

    public record Unread(long unread) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's own notifications, newest first",
            description = "The newest `limit` (1 to 500, default 100); X-Total-Count says how many there are in all.")
    public Response mine(@QueryParam("limit") String limit, @QueryParam("unread") String unreadOnly) {
        boolean unread = Boolean.TRUE.equals(QueryParams.bool("unread", unreadOnly));
        List<Item> items = inbox.inbox(me.id(), unread, QueryParams.integer("limit", limit, 100, 1, 500))
                .stream().map(Item::from).toList();
        return Response.ok(items).header("X-Total-Count", inbox.count(me.id(), unread)).build();
    }

    @GET
    @Path("/unread-count")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "How many of the caller's notifications are unread")
    public Unread unread() {
        return new Unread(inbox.unread(me.id()));
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live changes of the caller's inbox as server-sent events")
    // Who the caller is comes from the database (a CSM may be known by e-mail): resolved on a worker thread.
    @io.smallrye.common.annotation.Blocking
    public Multi<Change> stream() {
        return feed.subscribe(me.id()).map(Change::from);
    }

    @POST
    @Path("/{id}/read")
    @Operation(summary = "Mark one notification read")
    public void read(@PathParam("id") long id) {
        mark(id, true);
    }

    @POST
    @Path("/{id}/unread")
    @Operation(summary = "Mark one notification unread")
    public void unread(@PathParam("id") long id) {
        mark(id, false);
    }

    @POST
    @Path("/read-all")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark all the caller's notifications read")
    public Unread readAll() {
        inbox.markAllRead(me.id());
        return new Unread(0);
    }

    private void mark(long id, boolean read) {
        if (!inbox.mark(me.id(), id, read)) {
            throw Refusal.notFound("You have no inbox item " + id + ".");
        }
    }
}
