package io.beacon.ingest.rest;

import io.beacon.ingest.credentials.ApiKeyIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.beacon.contracts.Roles;
import io.beacon.ingest.service.IngestResult;
import io.beacon.ingest.service.IngestService;
import io.beacon.platform.rest.Problem;
import io.beacon.platform.rest.Utf8;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

@Path("/api/v1/ticket-events")
@Tag(name = "Ticket events")
public class TicketEventResource {

    private final IngestService ingest;
    private final SecurityIdentity caller;

    TicketEventResource(IngestService ingest, SecurityIdentity caller) {
        this.ingest = ingest;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.INGEST)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept one ticket event (a JSON object) or a batch (an array of up to 1,000)",
            description = "Authenticated by a bearer token with the `ingest` role, or by a source API key "
                    + "(`X-Beacon-Key`, or HTTP Basic with the key as user name). 202 once Kafka has stored every accepted event. A batch reports per event which were "
                    + "accepted and which refused, with the reasons; it is refused as a whole (400) only when no "
                    + "event in it is valid. 503 with Retry-After when Kafka cannot take the events.")
    public Response accept(byte[] body) throws JsonProcessingException {
        JsonNode node = ingest.read(Utf8.decode(body));
        // Sent with a source API key: the key's source name travels with the events.
        String origin = caller.getAttribute(ApiKeyIdentityProvider.SOURCE);
        if (node.isArray()) {
            IngestResult result = ingest.acceptBatch(node, origin);
            if (result.accepted().isEmpty()) {
                List<Problem.FieldError> errors = result.rejected().stream()
                        .flatMap(r -> r.errors().stream().map(e -> new Problem.FieldError(
                                "[" + r.index() + "]" + (e.field().isEmpty() ? "" : "." + e.field()), e.message())))
                        .toList();
                throw new WebApplicationException(Problem.of(Status.BAD_REQUEST,
                        "None of the " + node.size() + " events is valid.", errors).toResponse());
            }
            return Response.accepted(result).build();
        }
        if (!node.isObject()) {
            throw new WebApplicationException(Problem.of(Status.BAD_REQUEST,
                    "The body must be a ticket event object or an array of them.").toResponse());
        }
        return Response.accepted(new IngestResult(List.of(ingest.acceptOne(node, origin)), List.of())).build();
    }
}
