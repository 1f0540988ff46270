package io.beacon.accounts.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.accounts.config.AccountsConfig;
import io.beacon.accounts.domain.HealthChange;
import io.beacon.accounts.service.AccountCsv;
import io.beacon.accounts.service.AccountService;
import io.beacon.accounts.service.AccountService.PageOf;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Segment;
import io.beacon.platform.rest.QueryParams;
import io.beacon.platform.rest.Utf8;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/accounts")
@Tag(name = "Accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final AccountCsv csv;
    private final AccountsConfig config;
    private final JsonWebToken caller;

    AccountResource(AccountService accounts, AccountCsv csv, AccountsConfig config, JsonWebToken caller) {
        this.accounts = accounts;
        this.csv = csv;
        this.config = config;
        this.caller = caller;
    }

    public record HealthRequest(@NotNull @Valid List<AccountRequest.MeasureInput> measures) {
    }

    public record MeasureScore(@Min(0) @Max(100) int score) {
    }

    public record HealthPoint(int score, String color, Instant changedAt, String changedBy) {

        static HealthPoint from(HealthChange c) {
            return new HealthPoint(c.score, c.color, c.changedAt, c.changedBy);
        }
    }

    public record Republished(int accounts) {
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "Accounts, filtered by segment, CSM and health colour, a page at a time")
    public PageOf<AccountView> list(@QueryParam("segment") String segment, @QueryParam("csm") String csm,
            @QueryParam("color") String color, @QueryParam("page") String page, @QueryParam("size") String size) {
        return accounts.list(new AccountService.Filter(QueryParams.enumValue("segment", segment, Segment.class), csm,
                QueryParams.enumValue("color", color, AccountSnapshot.Color.class)),
                QueryParams.integer("page", page, 0, 0, 1_000_000), QueryParams.integer("size", size, 50, 1, 500));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account; its segment follows from its employee count, a missing owner is assigned")
    public Response create(@Valid @NotNull AccountRequest request) {
        AccountView created = accounts.create(request, caller.getName());
        return Response.created(URI.create("/api/v1/accounts/" + created.id())).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "One account")
    public AccountView get(@PathParam("id") String id) {
        return accounts.get(id);
    }

    @GET
    @Path("/by-external-id/{source}/{externalId}")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN, Roles.INGEST })
    @Operation(summary = "The account known in a support system under this id")
    public AccountView byExternalId(@PathParam("source") String source, @PathParam("externalId") String externalId) {
        return accounts.byExternalId(source, externalId);
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an account's data; publishes a new snapshot when anything changed")
    public AccountView replace(@PathParam("id") String id, @Valid @NotNull AccountRequest request) {
        return accounts.replace(id, request, caller.getName());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete an account; consumers see a tombstone on accounts.snapshots")
    public Response delete(@PathParam("id") String id) {
        accounts.delete(id);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/health")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the health scorecard (weights sum to 100, scores 0-100)")
    public AccountView setHealth(@PathParam("id") String id, @Valid @NotNull HealthRequest request) {
        return accounts.setHealth(id, request.measures().stream()
                .map(m -> new AccountSnapshot.Measure(m.name(), m.weight(), m.score())).toList(), caller.getName());
    }

    @PUT
    @Path("/{id}/health/measures/{name}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set one measure's score, keeping the rest of the scorecard")
    public AccountView setMeasure(@PathParam("id") String id, @PathParam("name") String name,
            @Valid @NotNull MeasureScore request) {
        return accounts.setMeasure(id, name, request.score(), caller.getName());
    }

    @GET
    @Path("/{id}/health/history")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "Every change of the account's health score, oldest first")
    public List<HealthPoint> history(@PathParam("id") String id) {
        return accounts.history(id).stream().map(HealthPoint::from).toList();
    }

    @POST
    @Path("/import")
    @RolesAllowed(Roles.ADMIN)
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN })
    @Operation(summary = "Create or update accounts from CSV (upsert by id, one transaction per row)",
            description = "The first line names the columns; id, name and employees are required. "
                    + "Answers with counts and a line-by-line report of the rows that were not applied.")
    public AccountCsv.ImportReport importCsv(byte[] body) {
        if (body.length > config.importMaxBytes()) {
            throw io.beacon.platform.errors.Refusal.tooLarge("The file has " + body.length + " bytes; at most "
                    + config.importMaxBytes() + " bytes are accepted per import. Split it.");
        }
        return csv.importCsv(Utf8.decode(body), caller.getName());
    }

    @GET
    @Path("/export")
    @RolesAllowed({ Roles.EXEC, Roles.ADMIN })
    @Produces("text/csv")
    @Operation(summary = "All accounts as CSV, in the import's format")
    public Response exportCsv() {
        return Response.ok(csv.export()).header("Content-Disposition", "attachment; filename=\"accounts.csv\"").build();
    }

    @POST
    @Path("/republish")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Publish every account's snapshot again, for consumers rebuilding their view")
    public Republished republish() {
        return new Republished(accounts.republishAll());
    }
}
