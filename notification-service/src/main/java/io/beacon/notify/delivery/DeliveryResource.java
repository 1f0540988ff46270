package io.beacon.notify.delivery;

import io.beacon.platform.errors.Refusal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.beacon.notify.accounts.CallerRecipient;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
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

/** The delivery log and its dead letters. CSMs see their own deliveries; admins see all and retry dead ones. */
@Path("/api/v1/deliveries")
@Tag(name = "Deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryLog log;
    private final Dispatcher dispatcher;
    private final JsonWebToken caller;
    private final CallerRecipient me;

    DeliveryResource(DeliveryLog log, Dispatcher dispatcher, JsonWebToken caller, CallerRecipient me) {
        this.me = me;
        this.log = log;
        this.dispatcher = dispatcher;
        this.caller = caller;
    }

    public record DeliveryView(long id, String eventId, String recipientId, String recipientRole, Channel channel,
            String address, DeliveryStatus status, int attempts, Instant nextAttemptAt, String lastError, Long digestId,
            LocalDate digestDate, Instant createdAt, Instant sentAt) {

        static DeliveryView from(Delivery d) {
            return new DeliveryView(d.id, d.eventId, d.recipientId, d.recipientRole.name(), d.channel, d.address,
                    d.status, d.attempts, d.nextAttemptAt, d.lastError, d.digestId, d.digestDate, d.createdAt, d.sentAt);
        }
    }

    public record DeadLetterView(long id, long deliveryId, String reason, int attempts, Instant deadAt,
            DeliveryView delivery) {
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Operation(summary = "Search the delivery log (a CSM sees only their own deliveries)",
            description = "The newest `limit` (1 to 1000, default 100) matching deliveries; X-Total-Count says how many "
                    + "match in all.")
    public Response search(@QueryParam("recipient") String recipient, @QueryParam("ctaId") String ctaId,
            @QueryParam("eventId") String eventId, @QueryParam("channel") String channel,
            @QueryParam("status") String status, @QueryParam("limit") String limit) {
        String who = caller.getGroups().contains(Roles.ADMIN) ? recipient : me.id();
        DeliveryLog.Found found = log.search(who, ctaId, eventId, QueryParams.enumValue("channel", channel, Channel.class),
                QueryParams.enumValue("status", status, DeliveryStatus.class),
                QueryParams.integer("limit", limit, 100, 1, 1000));
        return Response.ok(found.items().stream().map(DeliveryView::from).toList())
                .header("X-Total-Count", found.total()).build();
    }

    @GET
    @Path("/dead-letters")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Deliveries that failed every attempt and have not been retried, with the reason")
    public List<DeadLetterView> deadLetters(@QueryParam("limit") String limit) {
        List<DeadLetter> letters = log.openDeadLetters(QueryParams.integer("limit", limit, 100, 1, 1000));
        return letters.stream().map(l -> new DeadLetterView(l.id, l.deliveryId, l.reason, l.attempts, l.deadAt,
                log.find(l.deliveryId).map(DeliveryView::from).orElse(null))).toList();
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send a dead-lettered delivery again, with a fresh set of attempts")
    public DeliveryView retry(@PathParam("id") long id) {
        switch (log.retry(id, me.id())) {
            case NOT_FOUND -> throw Refusal.notFound("There is no delivery " + id + ".");
            case NOT_DEAD -> throw Refusal.conflict(
                    "Delivery " + id + " is not dead-lettered; only dead deliveries can be retried.");
            default -> dispatcher.tick();
        }
        return log.find(id).map(DeliveryView::from).orElseThrow();
    }
}
