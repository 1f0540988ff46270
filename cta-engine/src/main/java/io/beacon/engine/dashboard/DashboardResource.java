package io.beacon.engine.dashboard;

import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.beacon.contracts.Roles;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The executive dashboard's data, the caller's identity for the web UI, and live CTA changes. */
@Path("/api/v1")
@Tag(name = "Dashboard")
public class DashboardResource {

    private final DashboardService dashboard;
    private final LiveFeed feed;
    private final JsonWebToken caller;

    DashboardResource(DashboardService dashboard, LiveFeed feed, JsonWebToken caller) {
        this.dashboard = dashboard;
        this.feed = feed;
        this.caller = caller;
    }

    public record Me(String subject, List<String> roles) {
    }

    @GET
    @Path("/dashboard")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "Open escalations, health and ARR at risk by segment, and the weekly trend")
    public DashboardService.Dashboard get() {
        return dashboard.dashboard();
    }

    @GET
    @Path("/me")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.RULES_ADMIN, Roles.ADMIN })
    @Operation(summary = "Who the caller is: the token's subject and roles")
    public Me me() {
        return new Me(caller.getName(), caller.getGroups().stream().sorted().toList());
    }

    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.RULES_ADMIN, Roles.ADMIN })
    @Operation(summary = "CTA changes as server-sent events: all of them, or a CSM's own")
    public Multi<LiveFeed.Change> live() {
        boolean seesAll = caller.getGroups().stream().anyMatch(g -> !g.equals(Roles.CSM));
        return feed.subscribe(seesAll ? null : caller.getName());
    }
}
