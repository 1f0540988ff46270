package io.beacon.engine.rules;

import io.beacon.engine.backtest.BacktestResource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import io.beacon.platform.errors.Refusal;
import io.beacon.engine.backtest.BacktestService;
import io.beacon.engine.backtest.Backtest;
import io.beacon.platform.rest.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Rule operations for ops (role {@code rules-admin}): versions, diff, validation, scenario tests,
 * activation and rollback, and the audit trail. Reading is open to admins and executives too.
 */
@Path("/api/v1/rulesets")
@Tag(name = "Rulesets")
@Produces(MediaType.APPLICATION_JSON)
public class RulesetResource {

    private final RulesetService rulesets;
    private final BacktestService backtests;
    private final JsonWebToken caller;
    private final ObjectMapper json;
    private final ActiveRuleset active;
    private final io.beacon.engine.quality.QualityConfig qualityConfig;

    RulesetResource(RulesetService rulesets, BacktestService backtests, JsonWebToken caller, ObjectMapper json,
            ActiveRuleset active, io.beacon.engine.quality.QualityConfig qualityConfig) {
        this.active = active;
        this.qualityConfig = qualityConfig;
        this.rulesets = rulesets;
        this.backtests = backtests;
        this.caller = caller;
        this.json = json;
    }

    /**
     * {@code servingVersion} is what the instance that answers runs right now (it follows the active
     * one within seconds); {@code preparedVersions} are the versions it has compiled already, which it
     * can swap to at once when they are activated.
     */
    public record Summary(String name, Integer activeVersion, Integer servingVersion, List<Integer> preparedVersions,
            int versions) {
    }

    public record VersionSummary(String name, int version, String status, String author, String comment, String source,
            String checksum, Instant createdAt, Instant activatedAt) {

        static VersionSummary from(RulesetVersion v) {
            return new VersionSummary(v.name, v.version, v.status.name(), v.author, v.comment, v.source, v.checksum,
                    v.createdAt, v.activatedAt);
        }
    }

    /**
     * @param validation the report this instance made when it prepared or validated the version (a
     *        draft that failed to prepare shows why here); null when it has not yet
     */
    public record VersionDetail(VersionSummary version, Map<String, String> files, Map<String, Map<String, Object>> params,
            Map<String, String> scenarios, ReportView validation) {
    }

    /**
     * A new draft, edited as a whole: it starts as a copy of {@code basedOn} (default: the active
     * version) — every file, parameter and scenario — and {@code files}, {@code params} and
     * {@code scenarios} change or add to it, so "MARS threshold to 3" is just the changed parameter and
     * editing one file keeps the others. Nothing is dropped unless named in {@code removeFiles} or
     * {@code removeScenarios}.
     */
    public record DraftRequest(Integer basedOn, Map<String, String> files, List<String> removeFiles,
            Map<String, Map<String, Object>> params, Map<String, String> scenarios, List<String> removeScenarios,
            String comment) {
    }

    public record Comment(String comment) {
    }

    public record Rollback(@NotNull Integer version, String comment) {
    }

    public record ReportView(boolean ok, List<RuleCompiler.RuleError> errors, List<String> warnings,
            List<RuleValidator.ScenarioResult> scenarios, List<String> uncoveredRules) {

        static ReportView from(RuleValidator.Report r) {
            return new ReportView(r.ok(), r.errors(), r.warnings(), r.scenarios(), r.uncoveredRules());
        }
    }

    public record Created(VersionSummary version, ReportView validation) {
    }

    /** {@code tables}: per decision table that changed, its changed rows and cells ("row 'X': Column 5 → 3"). */
    public record Diff(String name, int from, int to, Map<String, List<String>> files,
            List<String> params, Map<String, List<String>> scenarios, Map<String, List<String>> tables) {
    }

    @GET
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "Every ruleset and its active version")
    public List<Summary> all() {
        ActiveRuleset.Compiled serving = active.getIfLoaded();
        return rulesets.names().stream().map(name -> new Summary(name,
                rulesets.activeVersion(name).map(v -> v.version).orElse(null),
                serving != null && serving.ruleset().name().equals(name) ? serving.ruleset().version() : null,
                rulesets.prepared(name), rulesets.versions(name).size())).toList();
    }

    @GET
    @Path("/{name}/versions")
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "The versions of a ruleset, newest first")
    public List<VersionSummary> versions(@PathParam("name") String name) {
        return rulesets.versions(name).stream().map(VersionSummary::from).toList();
    }

    @GET
    @Path("/{name}/versions/{version}")
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "One version: its DRL files, parameters and scenarios")
    public VersionDetail version(@PathParam("name") String name, @PathParam("version") int version) {
        RulesetVersion v = stored(name, version);
        RuleSource source = rulesets.source(v);
        return new VersionDetail(VersionSummary.from(v), source.files(), source.params(), source.scenarios(),
                rulesets.preparedReport(v).map(ReportView::from).orElse(null));
    }

    @POST
    @Path("/{name}/versions")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a draft version: a copy of basedOn (or the active version) with the given files, "
            + "parameters and scenarios changed or added, and only those named in removeFiles/removeScenarios dropped; returns its "
            + "validation: 201 when it passes, 422 (problem+json with the report) when it does not. A refused draft is "
            + "kept, so nothing typed is lost, but it cannot be activated.")
    public Response create(@PathParam("name") String name, @NotNull DraftRequest request) {
        RulesetVersion base = request.basedOn() != null ? stored(name, request.basedOn())
                : rulesets.activeVersion(name).orElse(null);
        RuleSource baseSource = base == null ? new RuleSource(name, Map.of(), Map.of(), Map.of()) : rulesets.source(base);
        RuleSource source = new RuleSource(name,
                edit("files", baseSource.files(), request.files(), "removeFiles", request.removeFiles()),
                request.params() != null ? merge(baseSource.params(), request.params()) : baseSource.params(),
                edit("scenarios", baseSource.scenarios(), request.scenarios(), "removeScenarios", request.removeScenarios()));
        if (source.files().isEmpty()) {
            throw Refusal.invalid("removeFiles", "A ruleset needs at least one DRL file; this draft would have none.");
        }
        RulesetVersion created = rulesets.create(source, caller.getName(), request.comment(), "api");
        RuleValidator.Report report = rulesets.validate(name, created.version);
        URI location = URI.create("/api/v1/rulesets/" + name + "/versions/" + created.version);
        if (!report.ok()) {
            throw new WebApplicationException(Response.status(422).type(Problem.PROBLEM_JSON).location(location)
                    .entity(new RefusedDraft(refusal("Draft version " + created.version + " was saved but does not "
                            + "pass validation, so it cannot be activated. ", report), VersionSummary.from(created),
                            ReportView.from(report)))
                    .build());
        }
        return Response.created(location).entity(new Created(VersionSummary.from(created), ReportView.from(report))).build();
    }

    /** A draft that was saved but does not pass: the problem, the version and its full report. */
    public record RefusedDraft(String type, String title, int status, String detail, List<Problem.FieldError> errors,
            VersionSummary version, ReportView validation) {

        RefusedDraft(Problem problem, VersionSummary version, ReportView validation) {
            this(problem.type(), problem.title(), problem.status(), problem.detail(), problem.errors(), version,
                    validation);
        }
    }

    /** The problem for a report that does not pass: every error at file:line:column, every failed scenario. */
    private static Problem refusal(String detail, RuleValidator.Report report) {
        List<Problem.FieldError> errors = new ArrayList<>();
        report.errors().forEach(e -> errors.add(new Problem.FieldError(e.file() == null ? "" : e.file() + ":" + e.line()
                + ":" + e.column(), e.message())));
        report.scenarios().stream().filter(sc -> !sc.passed())
                .forEach(sc -> errors.add(new Problem.FieldError("scenarios/" + sc.file(), sc.report())));
        return Problem.unprocessable(detail + report.summary(), errors);
    }

    @POST
    @Path("/{name}/versions/{version}/validate")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Operation(summary = "Check a version: guardrails, parameters, compilation and its scenarios, with rule coverage; "
            + "422 (problem+json with the report) when it does not pass")
    public ReportView validate(@PathParam("name") String name, @PathParam("version") int version) {
        stored(name, version);
        RuleValidator.Report report = rulesets.validate(name, version);
        if (!report.ok()) {
            throw new WebApplicationException(Response.status(422).type(Problem.PROBLEM_JSON)
                    .entity(new RefusedProblem(refusal("Version " + version + " does not pass validation. ", report),
                            ReportView.from(report)))
                    .build());
        }
        return ReportView.from(report);
    }

    @POST
    @Path("/{name}/versions/{version}/test")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Operation(summary = "Run a version's scenarios (the same report as validate)")
    public ReportView test(@PathParam("name") String name, @PathParam("version") int version) {
        return validate(name, version);
    }

    @GET
    @Path("/{name}/versions/{version}/diff")
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "What changed from version `against` (default: the one before) to this one")
    public Diff diff(@PathParam("name") String name, @PathParam("version") int version,
            @QueryParam("against") Integer against) {
        RuleSource to = rulesets.source(stored(name, version));
        int fromVersion = against != null ? against : version - 1;
        RuleSource from = rulesets.source(stored(name, fromVersion));
        List<String> params = new ArrayList<>();
        Set<String> names = new TreeSet<>(from.params().keySet());
        names.addAll(to.params().keySet());
        for (String param : names) {
            Map<String, Object> before = from.params().get(param);
            Map<String, Object> after = to.params().get(param);
            if (before == null) {
                params.add("+ " + param + " " + after);
            } else if (after == null) {
                params.add("- " + param + " " + before);
            } else {
                new TreeSet<>(after.keySet()).forEach(segment -> {
                    Object a = before.get(segment);
                    Object b = after.get(segment);
                    if (a == null || !String.valueOf(a).equals(String.valueOf(b))) {
                        params.add(param + " " + segment + ": " + a + " -> " + b);
                    }
                });
            }
        }
        Map<String, List<String>> files = TextDiff.files(from.files(), to.files());
        Map<String, List<String>> tables = new java.util.LinkedHashMap<>();
        files.keySet().stream().filter(DecisionTables::isTable).forEach(file -> {
            List<String> rows = DecisionTables.diff(file, from.files().get(file), to.files().get(file));
            if (rows != null) {
                tables.put(file, rows);
            }
        });
        return new Diff(name, fromVersion, version, files, params, TextDiff.files(from.scenarios(), to.scenarios()), tables);
    }

    @POST
    @Path("/{name}/versions/{version}/activate")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Activate a version on every instance; refused (422, with the report) if it fails validation or a scenario")
    public VersionSummary activate(@PathParam("name") String name, @PathParam("version") int version, Comment comment) {
        stored(name, version);
        return activated(rulesets.activate(name, version, caller.getName(), comment == null ? null : comment.comment(),
                "ACTIVATED"));
    }

    @POST
    @Path("/{name}/rollback")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make an earlier version active again (the same path as activation)")
    public VersionSummary rollback(@PathParam("name") String name, @NotNull Rollback request) {
        stored(name, request.version());
        return activated(rulesets.activate(name, request.version(), caller.getName(), request.comment(), "ROLLED_BACK"));
    }

    @POST
    @Path("/{name}/versions/{version}/backtest")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay recorded ticket events through this version and the active one (or `against`), side by side")
    public Response start(@PathParam("name") String name, @PathParam("version") int version, BacktestResource.Request request) {
        BacktestResource.Request r = request != null ? request : new BacktestResource.Request(null, null, null, null);
        Instant to = r.to() != null ? r.to() : Instant.now();
        Instant from = r.from() != null ? r.from() : to.minus(Duration.ofDays(r.days() != null ? r.days() : 30));
        Backtest job = backtests.start(name, version, r.against(), from, to, caller.getName());
        return Response.accepted(BacktestResource.view(job, json)).location(URI.create("/api/v1/backtests/" + job.id)).build();
    }

    @POST
    @Path("/{name}/versions/{version}/sweep")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay recorded ticket events once through this version with one parameter set to each of "
            + "several values (for one segment or all): CTAs per CSM per week and missed situations caught, per value")
    public Response sweep(@PathParam("name") String name, @PathParam("version") int version,
            @NotNull BacktestResource.SweepRequest request) {
        stored(name, version);
        if (request.param() == null || request.param().isBlank()) {
            throw Refusal.invalid("param", "name the parameter to sweep, e.g. supportRisk.openTickets");
        }
        io.beacon.contracts.Segment segment = null;
        if (request.segment() != null && !request.segment().isBlank() && !"ALL".equalsIgnoreCase(request.segment())) {
            try {
                segment = io.beacon.contracts.Segment.valueOf(request.segment().trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid("segment", "segment is MERCURY, MARS, VENUS, JUPITER or ALL, not '" + request.segment() + "'");
            }
        }
        List<Integer> values = sweepValues(request);
        if (request.missedWithinDays() != null && (request.missedWithinDays() < 1 || request.missedWithinDays() > 90)) {
            throw Refusal.invalid("missedWithinDays", "missedWithinDays must be 1 to 90, not " + request.missedWithinDays());
        }
        if (request.days() != null && (request.days() < 1 || request.days() > 365)) {
            throw Refusal.invalid("days", "days must be 1 to 365, not " + request.days());
        }
        Instant to = request.to() != null ? request.to() : Instant.now();
        Instant from = request.from() != null ? request.from()
                : to.minus(Duration.ofDays(request.days() != null ? request.days() : 30));
        Duration within = request.missedWithinDays() != null ? Duration.ofDays(request.missedWithinDays())
                : qualityConfig.missedWithin();
        Backtest job = backtests.startSweep(name, version, new BacktestService.Sweep(request.param().trim(), segment, values,
                within), from, to, caller.getName());
        return Response.accepted(BacktestResource.view(job, json)).location(URI.create("/api/v1/backtests/" + job.id)).build();
    }

    /** The values to sweep: as listed, or min..max; whole numbers 0..1,000,000, at most 15, each once. */
    private static List<Integer> sweepValues(BacktestResource.SweepRequest request) {
        List<Integer> values = new ArrayList<>();
        if (request.values() != null && !request.values().isEmpty()) {
            if (request.min() != null || request.max() != null) {
                throw Refusal.invalid("values", "give either values or min and max, not both");
            }
            values.addAll(request.values());
        } else if (request.min() != null && request.max() != null) {
            if (request.max() < request.min()) {
                throw Refusal.invalid("max", "max (" + request.max() + ") is below min (" + request.min() + ")");
            }
            if ((long) request.max() - request.min() + 1 > BacktestService.MAX_SWEEP_VALUES) {
                throw Refusal.invalid("max", "a sweep evaluates at most " + BacktestService.MAX_SWEEP_VALUES + " values");
            }
            for (int v = request.min(); v <= request.max(); v++) {
                values.add(v);
            }
        } else {
            throw Refusal.invalid("values", "give the values to sweep (values: [2, 3, 4]) or a range (min and max)");
        }
        if (values.size() > BacktestService.MAX_SWEEP_VALUES) {
            throw Refusal.invalid("values", "a sweep evaluates at most " + BacktestService.MAX_SWEEP_VALUES + " values, not "
                    + values.size());
        }
        Set<Integer> seen = new TreeSet<>();
        for (Integer value : values) {
            if (value == null || value < 0 || value > 1_000_000) {
                throw Refusal.invalid("values", "each value is a whole number from 0 to 1,000,000, not " + value);
            }
            if (!seen.add(value)) {
                throw Refusal.invalid("values", "the value " + value + " is listed twice");
            }
        }
        return values;
    }

    @GET
    @Path("/{name}/versions/{version}/backtests")
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "Every backtest of this version, newest first, with its result")
    public List<BacktestResource.View> backtests(@PathParam("name") String name, @PathParam("version") int version) {
        stored(name, version);
        return backtests.history(name, version).stream().map(job -> BacktestResource.view(job, json)).toList();
    }

    @jakarta.ws.rs.DELETE
    @Path("/{name}/versions/{version}")
    @RolesAllowed(Roles.RULES_ADMIN)
    @Operation(summary = "Discard a draft: it stays in the history and the audit as DISCARDED and can never be activated")
    public VersionSummary discard(@PathParam("name") String name, @PathParam("version") int version,
            @QueryParam("comment") String comment) {
        return VersionSummary.from(rulesets.discard(name, version, caller.getName(), comment));
    }

    @GET
    @Path("/{name}/audit")
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "Who changed what, when and why; newest first")
    public List<RulesetAudit> audit(@PathParam("name") String name) {
        return rulesets.audit(name);
    }

    private VersionSummary activated(RulesetService.Activation activation) {
        if (!activation.activated()) {
            ReportView report = ReportView.from(activation.report());
            throw new WebApplicationException(Response.status(422).type(Problem.PROBLEM_JSON)
                    .entity(new RefusedProblem(refusal("Version " + activation.version().version
                            + " was not activated; the active version keeps serving. ", activation.report()), report))
                    .build());
        }
        return VersionSummary.from(activation.version());
    }

    /** A refused activation: the problem, and the full validation report. */
    public record RefusedProblem(String type, String title, int status, String detail, List<Problem.FieldError> errors,
            ReportView report) {

        RefusedProblem(Problem problem, ReportView report) {
            this(problem.type(), problem.title(), problem.status(), problem.detail(), problem.errors(), report);
        }
    }

    private RulesetVersion stored(String name, int version) {
        return rulesets.find(name, version).orElseThrow(() -> io.beacon.platform.errors.Refusal.notFound(
                "There is no version " + version + " of ruleset '" + name + "'."));
    }

    /**
     * The base's files (or scenarios) with the changed and added ones put over them and the named ones
     * removed; a removal must name one the base has, and nothing may be both changed and removed.
     */
    static Map<String, String> edit(String field, Map<String, String> base, Map<String, String> changes,
            String removeField, List<String> removals) {
        Map<String, String> edited = new java.util.TreeMap<>(base);
        if (changes != null) {
            for (Map.Entry<String, String> change : changes.entrySet()) {
                if (change.getValue() == null) {
                    throw Refusal.invalid(field, "'" + field + "." + change.getKey() + "' has no content; to drop it, name it in '"
                            + removeField + "'.");
                }
                edited.put(change.getKey(), change.getValue());
            }
        }
        for (String removal : removals == null ? List.<String> of() : removals) {
            if (!base.containsKey(removal)) {
                throw Refusal.invalid(removeField, "'" + removal + "' is not in the version this draft is based on "
                        + "(it has " + String.join(", ", base.keySet()) + ").");
            }
            if (changes != null && changes.containsKey(removal)) {
                throw Refusal.invalid(removeField, "'" + removal + "' is both changed and removed.");
            }
            edited.remove(removal);
        }
        return edited;
    }

    private static Map<String, Map<String, Object>> merge(Map<String, Map<String, Object>> base,
            Map<String, Map<String, Object>> changes) {
        Map<String, Map<String, Object>> merged = new java.util.TreeMap<>();
        base.forEach((k, v) -> merged.put(k, new java.util.TreeMap<>(v)));
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.computeIfAbsent(k, key -> new java.util.TreeMap<>()).putAll(v);
            }
        });
        return merged;
    }
}
