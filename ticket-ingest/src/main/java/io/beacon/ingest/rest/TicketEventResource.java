package io.beacon.ingest.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.beacon.contracts.Roles;
import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.service.IngestService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/ticket-events")
@Tag(name = "Ticket events")
public class TicketEventResource {

    private final IngestService ingest;

    TicketEventResource(IngestService ingest) {
        this.ingest = ingest;
    }

    public record Accepted(List<String> accepted) {
    }

    @POST
    @RolesAllowed(Roles.INGEST)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept a ticket event", description = "Answers 202 once Kafka has stored the event.")
    public Response accept(String body) throws JsonProcessingException {
        TicketEvent event = ingest.accept(body);
        return Response.accepted(new Accepted(List.of(event.eventId()))).build();
    }
}
