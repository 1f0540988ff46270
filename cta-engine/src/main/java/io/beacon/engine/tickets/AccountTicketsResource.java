package io.beacon.engine.tickets;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.contracts.TicketEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the engine knows of an account's tickets: the facts its rules see. */
@Path("/api/v1/accounts/{accountId}/tickets")
@Tag(name = "Ticket state")
public class AccountTicketsResource {

    private final TicketStateService tickets;

    AccountTicketsResource(TicketStateService tickets) {
        this.tickets = tickets;
    }

    public record TicketView(String ticketId, String subject, TicketEvent.Status status, TicketEvent.Priority priority,
            TicketEvent.Kind kind, Instant createdAt, Instant updatedAt, boolean slaBreached, int reopenCount,
            boolean deleted, String lastEventId, String source) {

        static TicketView from(TicketState t) {
            return new TicketView(t.ticketId, t.subject, t.status, t.priority, t.kind, t.createdAt, t.updatedAt,
                    t.slaBreached, t.reopenCount, t.deleted, t.lastEventId, t.source);
        }
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.RULES_ADMIN, Roles.ADMIN })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The newest known snapshot of each of the account's tickets")
    public List<TicketView> list(@PathParam("accountId") String accountId) {
        return tickets.tickets(accountId).stream().map(TicketView::from).toList();
    }
}
