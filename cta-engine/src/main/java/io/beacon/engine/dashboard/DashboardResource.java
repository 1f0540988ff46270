package io.beacon.engine.dashboard;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.beacon.contracts.Roles;
import io.beacon.engine.accounts.Caller;
import io.beacon.engine.accounts.CsmDirectory;
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
    private final Caller caller;
    private final CsmDirectory directory;

    DashboardResource(DashboardService dashboard, LiveFeed feed, Caller caller, CsmDirectory directory) {
        this.directory = directory;
        this.dashboard = dashboard;
        this.feed = feed;
        this.caller = caller;
    }

    /**
     * Who the caller is: the token's subject and roles, and the CSM they are ({@code csmId}: the token's
     * name, or the CSM with the token's e-mail), with their team and the teams they lead.
     */
    public record Me(String subject, List<String> roles, String csmId, String name, String team, List<String> leads) {
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
    @Operation(summary = "Who the caller is: the token's subject and roles, the CSM they are and the teams they lead")
    public Me me() {
        var csm = directory.find(caller.id());
        return new Me(caller.subject(), caller.roles(), csm.map(e -> e.csmId).orElse(null),
                csm.map(e -> e.name).orElse(null), csm.map(e -> e.team).orElse(null), caller.leads());
    }

    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.RULES_ADMIN, Roles.ADMIN })
    @Operation(summary = "CTA changes as server-sent events: all of them, or a CSM's own")
    // Who the caller is comes from the database (a CSM may be known by e-mail): resolved on a worker thread.
    @io.smallrye.common.annotation.Blocking
    public Multi<LiveFeed.Change> live() {
        boolean seesAll = caller.roles().stream().anyMatch(g -> !g.equals(Roles.CSM));
        return feed.subscribe(seesAll ? null : caller.id());
    }
}
