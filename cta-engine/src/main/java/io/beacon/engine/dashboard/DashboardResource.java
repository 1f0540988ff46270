package io.beacon.engine.dashboard;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Segment;
import io.beacon.platform.rest.QueryParams;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
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

    /** The most escalations one page holds. */
    public static final int MAX_PAGE = 500;
    /** The most rows a CSV export holds. */
    public static final int MAX_EXPORT = 50_000;

    @GET
    @Path("/dashboard/escalations")
    @Produces({ MediaType.APPLICATION_JSON, "text/csv" })
    @RolesAllowed({ Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "Open escalations a page at a time: sorted (NEWEST, OLDEST, ARR, SEGMENT) and filtered by segment, "
            + "team, CSM and reason; X-Total-Count says how many match. With Accept: text/csv (or format=csv), every "
            + "matching row (up to 50,000) as CSV.")
    public Response escalations(@QueryParam("segment") String segment, @QueryParam("team") String team,
            @QueryParam("csm") String csm, @QueryParam("reason") String reason, @QueryParam("sort") String sort,
            @QueryParam("page") String page, @QueryParam("size") String size, @QueryParam("format") String format,
            @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        DashboardService.Filter filter = new DashboardService.Filter(
                segment == null ? null : Segment.valueOf(QueryParams.oneOf("segment", segment.toUpperCase(java.util.Locale.ROOT),
                        java.util.Arrays.stream(Segment.values()).map(Enum::name).toList())),
                blank(team), blank(csm), blank(reason));
        DashboardService.Sort order = sort == null ? DashboardService.Sort.NEWEST
                : DashboardService.Sort.valueOf(QueryParams.oneOf("sort", sort.toUpperCase(java.util.Locale.ROOT),
                        java.util.Arrays.stream(DashboardService.Sort.values()).map(Enum::name).toList()));
        boolean csv = "csv".equalsIgnoreCase(format) || (accept != null && accept.contains("text/csv"));
        if (csv) {
            DashboardService.Page all = dashboard.escalations(filter, order, 0, MAX_EXPORT);
            return Response.ok(Csv.escalations(all.items()), "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"escalations.csv\"")
                    .header("X-Total-Count", all.total()).build();
        }
        int pageNumber = QueryParams.integer("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.integer("size", size, 50, 1, MAX_PAGE);
        DashboardService.Page found = dashboard.escalations(filter, order, pageNumber, pageSize);
        return Response.ok(found.items(), MediaType.APPLICATION_JSON).header("X-Total-Count", found.total()).build();
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
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
