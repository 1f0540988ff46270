package io.beacon.engine.cta;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

import io.beacon.accountview.AccountView;
import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Roles;
import io.beacon.engine.accounts.Caller;
import io.beacon.engine.accounts.CsmDirectory;
import io.beacon.platform.errors.Refusal;
import io.beacon.platform.validation.CleanText;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
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
    private final Caller caller;
    private final CsmDirectory directory;

    CtaResource(CtaService ctas, CtaActions actions, Caller caller, CsmDirectory directory) {
        this.ctas = ctas;
        this.actions = actions;
        this.caller = caller;
        this.directory = directory;
    }

    /** A CTA a person raises by hand. */
    public record RaiseRequest(@NotBlank @Size(max = 200) @CleanText String accountId, @NotNull CtaEvent.CtaType type,
            @NotBlank @Size(max = 100) @CleanText String reason, @NotNull CtaEvent.Priority priority, Instant dueAt,
            @Size(max = NOTE_MAX) @CleanText String note) {
    }

    public record ReassignRequest(@NotBlank @Size(max = 100) String to, @Size(max = NOTE_MAX) @CleanText String comment) {
    }

    public record NoteRequest(@NotBlank @Size(max = NOTE_MAX) @CleanText String body) {
    }

    public record TaskRequest(@NotNull Boolean done) {
    }

    public static final int NOTE_MAX = 4000;
    public static final int MAX_BULK = 200;

    /** One action on many CTAs: {@code snooze} (with {@code until}) or {@code close} (with {@code reason}). */
    public record BulkRequest(@NotNull @Size(min = 1, max = MAX_BULK) List<@NotBlank @Size(max = 64) String> ids,
            @NotNull BulkAction action, Instant until, CtaActions.CloseReason reason,
            @Size(max = NOTE_MAX) @CleanText String comment) {
    }

    public enum BulkAction {
        SNOOZE, CLOSE
    }

    /** What happened to one CTA of a bulk action: 200 and the CTA, or the status and detail of its refusal. */
    public record BulkOutcome(String id, int status, String detail, CtaView cta) {
    }

    public record TaskView(int position, String title, Instant dueAt, Instant doneAt, String doneBy) {
    }

    public record NoteView(long id, String author, String body, Instant createdAt) {
    }

    public record AssignmentView(String from, String to, String actor, String comment, Instant at) {
    }

    /** The work on a CTA: its playbook tasks, its notes and who it was given to. */
    public record WorkView(String playbook, Integer playbookVersion, List<TaskView> tasks, List<NoteView> notes,
            List<AssignmentView> assignments) {
    }

    @POST
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Raise a CTA by hand for an account: type, reason, priority, due date and an optional note",
            description = "The CTA belongs to the account's CSM. A CSM may raise one on their own accounts and on those "
                    + "of the teams they lead. Rules never update or clear a manual CTA.")
    public Response raise(@NotNull @Valid RaiseRequest request) {
        AccountView account = AccountView.findById(request.accountId());
        if (account == null) {
            throw Refusal.invalid("accountId", "No account '" + request.accountId() + "' is known.");
        }
        String owner = account.csmId != null ? account.csmId : caller.id();
        if (!caller.mayOpen(owner)) {
            throw Refusal.invalid("accountId", "The account '" + request.accountId() + "' is not yours or your team's.");
        }
        Cta cta = actions.raise(new CtaActions.Manual(request.accountId(), request.type(), request.reason(),
                request.priority(), request.dueAt(), request.note()), owner, caller.id());
        return Response.status(Response.Status.CREATED).entity(view(cta)).build();
    }

    @POST
    @Path("/{id}/reassign")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give a CTA to another CSM; audited, and the new owner is notified")
    public CtaView reassign(@PathParam("id") String id, @NotNull @Valid ReassignRequest request) {
        mine(id);
        return view(actions.reassign(id, request.to(), request.comment(), caller.id()));
    }

    @GET
    @Path("/{id}/work")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "A CTA's playbook tasks, notes and reassignments")
    @Transactional
    public WorkView work(@PathParam("id") String id) {
        Cta cta = mine(id);
        List<TaskView> tasks = CtaTask.<CtaTask> list("ctaId = ?1 order by position", id).stream()
                .map(t -> new TaskView(t.position, t.title, t.dueAt, t.doneAt, t.doneBy)).toList();
        List<NoteView> notes = CtaNote.<CtaNote> list("ctaId = ?1 order by createdAt, id", id).stream()
                .map(n -> new NoteView(n.id, n.author, n.body, n.createdAt)).toList();
        List<AssignmentView> assignments = CtaAssignment.<CtaAssignment> list("ctaId = ?1 order by at, id", id).stream()
                .map(a -> new AssignmentView(a.fromCsm, a.toCsm, a.actor, a.comment, a.at)).toList();
        return new WorkView(cta.playbook, cta.playbookVersion, tasks, notes, assignments);
    }

    @POST
    @Path("/{id}/notes")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Write a note on a CTA")
    public Response note(@PathParam("id") String id, @NotNull @Valid NoteRequest request) {
        mine(id);
        CtaNote note = actions.note(id, request.body(), caller.id());
        return Response.status(Response.Status.CREATED)
                .entity(new NoteView(note.id, note.author, note.body, note.createdAt)).build();
    }

    @POST
    @Path("/{id}/tasks/{position}")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Tick a playbook task off ({\"done\":true}) or on again ({\"done\":false})")
    public TaskView task(@PathParam("id") String id, @PathParam("position") String position,
            @NotNull @Valid TaskRequest request) {
        mine(id);
        CtaTask task = actions.task(id, QueryParams.integer("position", position, 0, 1, 1000), request.done(), caller.id());
        return new TaskView(task.position, task.title, task.dueAt, task.doneAt, task.doneBy);
    }

    @POST
    @Path("/bulk")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Snooze or close up to 200 CTAs at once; each is done or refused on its own",
            description = "The answer lists every id with 200 and the CTA, or the status (400, 404, 409) and why it was refused.")
    public List<BulkOutcome> bulk(@NotNull @Valid BulkRequest request) {
        if (request.action() == BulkAction.SNOOZE && request.until() == null) {
            throw Refusal.invalid("until", "'until' is required to snooze.");
        }
        if (request.action() == BulkAction.CLOSE && request.reason() == null) {
            throw Refusal.invalid("reason", "'reason' is required to close: DONE or NOT_RELEVANT.");
        }
        List<BulkOutcome> outcomes = new java.util.ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(request.ids())) {
            try {
                mine(id);
                Cta cta = request.action() == BulkAction.SNOOZE ? actions.snooze(id, request.until(), caller.id())
                        : actions.close(id, request.reason(), request.comment(), caller.id());
                outcomes.add(new BulkOutcome(id, 200, null, view(cta)));
            } catch (Refusal refusal) {
                outcomes.add(new BulkOutcome(id, refusal.status(), refusal.getMessage(), null));
            }
        }
        return outcomes;
    }

    /** A CSM a CTA may be given to. */
    public record CsmView(String id, String name, String email, String team, String teamLead) {
    }

    @GET
    @Path("/assignees")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "The CSMs a CTA may be given to, by team")
    public List<CsmView> assignees() {
        return directory.all().stream().map(e -> new CsmView(e.csmId, e.name, e.email, e.team, e.teamLead)).toList();
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
        return view(actions.snooze(id, request.until(), caller.id()));
    }

    @POST
    @Path("/{id}/close")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close a CTA: DONE or NOT_RELEVANT, with an optional comment")
    public CtaView close(@PathParam("id") String id, @NotNull CloseRequest request) {
        mine(id);
        return view(actions.close(id, request.reason(), request.comment(), caller.id()));
    }

    @POST
    @Path("/{id}/reopen")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Operation(summary = "Reopen a closed CTA")
    public CtaView reopen(@PathParam("id") String id) {
        mine(id);
        return view(actions.reopen(id, caller.id()));
    }

    @POST
    @Path("/{id}/unsnooze")
    @RolesAllowed({ Roles.CSM, Roles.ADMIN })
    @Operation(summary = "End a snooze now: the CTA is open again")
    public CtaView unsnooze(@PathParam("id") String id) {
        mine(id);
        return view(actions.unsnooze(id, caller.id()));
    }

    /** A CTA with the reason it exists: the rule, the ruleset version and the facts that matched. */
    public record CtaView(String id, String accountId, String type, String reason, String status, String priority,
            boolean escalated, Instant dueAt, Instant snoozedUntil, String ownerCsmId, String ruleset, int rulesetVersion, String rule,
            Map<String, Object> explanation, String closeReason, Instant openedAt, Instant updatedAt, Instant closedAt,
            String origin, String playbook, int tasks, int tasksDone) {
    }

    /** The most CTAs one page holds; {@code size} defaults to it. */
    public static final int MAX_PAGE_SIZE = 500;

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "CTAs, newest change first, a page at a time; a CSM sees their own, or with `team` their team's when they lead it",
            description = "`page` counts from 0; `size` is 1 to 500 (default 500). The answer is one page: the "
                    + "X-Total-Count header says how many CTAs match, and a Link header with rel=\"next\" points to "
                    + "the next page while there is one.")
    public Response list(@QueryParam("accountId") String accountId, @QueryParam("status") String status,
            @QueryParam("escalated") String escalated, @QueryParam("owner") String owner, @QueryParam("team") String team,
            @QueryParam("page") String page, @QueryParam("size") String size, @Context UriInfo uri) {
        String effectiveOwner = owner;
        if (caller.onlyCsm()) {
            if (team != null && !caller.leads().contains(team)) {
                throw Refusal.invalid("team", "You do not lead the team '" + team + "'"
                        + (caller.leads().isEmpty() ? "." : "; you lead " + String.join(", ", caller.leads()) + "."));
            }
            if (team == null || (owner != null && !caller.mayOpen(owner))) {
                effectiveOwner = caller.id();
            }
        }
        int pageNumber = QueryParams.integer("page", page, 0, 0, 1_000_000);
        int pageSize = QueryParams.integer("size", size, MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        CtaService.Page found = ctas.find(accountId, QueryParams.oneOf("status", status, Cta.STATUSES),
                QueryParams.bool("escalated", escalated), effectiveOwner, team, pageNumber, pageSize);
        Map<String, int[]> progress = ctas.progress(found.items().stream().map(c -> c.id).toList());
        Response.ResponseBuilder response = Response.ok(found.items().stream().map(c -> view(c, progress.get(c.id))).toList())
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

    /**
     * The CTA, if the caller may see it: a CSM their own and their team's when they lead it; others' look
     * like missing ones.
     */
    private Cta mine(String id) {
        Cta cta = ctas.get(id);
        if (cta == null || !caller.mayOpen(cta.ownerCsmId)) {
            throw Refusal.notFound("No CTA with id '" + id + "'.");
        }
        return cta;
    }

    private CtaView view(Cta c) {
        return view(c, ctas.progress(List.of(c.id)).get(c.id));
    }

    private CtaView view(Cta c, int[] progress) {
        return new CtaView(c.id, c.accountId, c.type, c.reason, c.status, c.priority, c.escalated, c.dueAt,
                c.snoozedUntil, c.ownerCsmId, c.ruleset, c.rulesetVersion, c.ruleName, ctas.read(c.explanation), c.closeReason,
                c.openedAt, c.updatedAt, c.closedAt, c.origin, c.playbook, progress == null ? 0 : progress[0],
                progress == null ? 0 : progress[1]);
    }
}
