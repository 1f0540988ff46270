package io.beacon.engine.cta;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.platform.rest.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

@Path("/api/v1/ctas")
@Tag(name = "CTAs")
@Produces(MediaType.APPLICATION_JSON)
public class CtaResource {

    private final CtaService ctas;
    private final CtaActions actions;
    private final JsonWebToken caller;

    CtaResource(CtaService ctas, CtaActions actions, JsonWebToken caller) {
        this.ctas = ctas;
        this.actions = actions;
        this.caller = caller;
    }

    public record SnoozeRequest(Instant until) {
    }

    public record CloseRequest(CtaActions.CloseReason reason, String comment) {
    }

    @POST
    @Path("/{id}/snooze")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Snooze a CTA until a date (at most 90 days); it stays quiet until then")
    public CtaView snooze(@PathParam("id") String id, @NotNull SnoozeRequest request) {
        mine(id);
        return view(actions.snooze(id, request.until(), caller.getName()));
    }

    @POST
    @Path("/{id}/close")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close a CTA: DONE or NOT_RELEVANT, with an optional comment")
    public CtaView close(@PathParam("id") String id, @NotNull CloseRequest request) {
        mine(id);
        return view(actions.close(id, request.reason(), request.comment(), caller.getName()));
    }

    @POST
    @Path("/{id}/reopen")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Operation(summary = "Reopen a closed CTA")
    public CtaView reopen(@PathParam("id") String id) {
        mine(id);
        return view(actions.reopen(id, caller.getName()));
    }

    @POST
    @Path("/{id}/unsnooze")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Operation(summary = "End a snooze now: the CTA is open again")
    public CtaView unsnooze(@PathParam("id") String id) {
        mine(id);
        return view(actions.unsnooze(id, caller.getName()));
    }

    /** A CTA with the reason it exists: the rule, the ruleset version and the facts that matched. */
    public record CtaView(String id, String accountId, String type, String reason, String status, String priority,
            boolean escalated, Instant dueAt, Instant snoozedUntil, String ownerCsmId, String ruleset, int rulesetVersion, String rule,
            Map<String, Object> explanation, String closeReason, Instant openedAt, Instant updatedAt, Instant closedAt) {
    }

    /** The most CTAs one page holds; {@code size} defaults to it. */
    public static final int MAX_PAGE_SIZE = 500;

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "CTAs, newest change first, a page at a time; a CSM sees only their own",
            description = "`page` counts from 0; `size` is 1 to 500 (default 500). The answer is one page: the "
                    + "X-Total-Count header says how many CTAs match, and a Link header with rel=\"next\" points to "
                    + "the next page while there is one.")
    public Response list(@QueryParam("accountId") String accountId, @QueryParam("status") String status,
            @QueryParam("escalated") String escalated, @QueryParam("owner") String owner,
            @QueryParam("page") String page, @QueryParam("size") String size, @Context UriInfo uri) {
        String effectiveOwner = onlyCsm() ? caller.getName() : owner;
        int pageNumber = QueryParams.integer("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.integer("size", size, MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        CtaService.Page found = ctas.find(accountId, QueryParams.oneOf("status", status, Cta.STATUSES),
                QueryParams.bool("escalated", escalated), effectiveOwner, pageNumber, pageSize);
        Response.ResponseBuilder response = Response.ok(found.items().stream().map(this::view).toList())
                .header("X-Total-Count", found.total());
        if ((long) (pageNumber + 1) * pageSize < found.total()) {
            response.link(uri.getRequestUriBuilder().replaceQueryParam("page", pageNumber + 1)
                    .replaceQueryParam("size", pageSize).build(), "next");
        }
        return response.build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "One CTA with its explanation")
    public CtaView get(@PathParam("id") String id) {
        return view(mine(id));
    }

    /** The CTA, if the caller may see it: a CSM only their own, and others' look like missing ones. */
    private Cta mine(String id) {
        Cta cta = ctas.get(id);
        if (cta == null || (onlyCsm() && !caller.getName().equals(cta.ownerCsmId))) {
            throw io.beacon.platform.errors.Refusal.notFound("No CTA with id '" + id + "'.");
        }
        return cta;
    }

    private boolean onlyCsm() {
        return caller.getGroups().contains(Roles.CSM) && !caller.getGroups().contains(Roles.EXEC)
                && !caller.getGroups().contains(Roles.ADMIN);
    }

    private CtaView view(Cta c) {
        return new CtaView(c.id, c.accountId, c.type, c.reason, c.status, c.priority, c.escalated, c.dueAt,
                c.snoozedUntil, c.ownerCsmId, c.ruleset, c.rulesetVersion, c.ruleName, ctas.read(c.explanation), c.closeReason,
                c.openedAt, c.updatedAt, c.closedAt);
    }
}
