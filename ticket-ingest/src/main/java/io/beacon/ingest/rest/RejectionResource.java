package io.beacon.ingest.rest;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.ingest.domain.RejectedEvent;
import io.beacon.ingest.service.RejectionLog;
import io.beacon.platform.rest.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/rejections")
@Tag(name = "Rejected events")
public class RejectionResource {

    private final RejectionLog rejections;

    RejectionResource(RejectionLog rejections) {
        this.rejections = rejections;
    }

    public record Rejection(Instant receivedAt, String source, String eventId, String accountId, String reason) {

        static Rejection from(RejectedEvent e) {
            return new Rejection(e.receivedAt, e.source, e.eventId, e.accountId, e.reason);
        }
    }

    @GET
    @RolesAllowed({ Roles.INGEST, Roles.ADMIN })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The most recently refused ticket events, newest first, with the reason")
    public List<Rejection> latest(@QueryParam("limit") String limitParam) {
        int limit = QueryParams.integer("limit", limitParam, 50, 1, 500);
        return rejections.latest(limit).stream().map(Rejection::from).toList();
    }
}
