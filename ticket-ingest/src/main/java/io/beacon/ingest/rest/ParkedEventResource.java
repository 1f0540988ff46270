package io.beacon.ingest.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.ingest.parking.ParkedEvents;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Events waiting for account-service to give their organisation to an account. */
@Path("/api/v1/parked-events")
@Tag(name = "Parked events")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedEventResource {

    private final ParkedEvents parked;

    ParkedEventResource(ParkedEvents parked) {
        this.parked = parked;
    }

    /** @param waiting events waiting in all; {@code organizations} per source and organisation, most first */
    public record Summary(long waiting, List<ParkedEvents.Waiting> organizations) {
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.INGEST })
    @Operation(summary = "Events parked because no account carries their organisation yet",
            description = "Give the organisation to an account in account-service (its external ids, e.g. "
                    + "`{\"zendesk\": \"<organisation id>\"}`) and they are published under it, in the order they came.")
    public Summary waiting() {
        List<ParkedEvents.Waiting> organizations = parked.waiting();
        return new Summary(organizations.stream().mapToLong(ParkedEvents.Waiting::count).sum(), organizations);
    }
}
