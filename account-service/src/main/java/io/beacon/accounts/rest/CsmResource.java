package io.beacon.accounts.rest;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.accounts.domain.Csm;
import io.beacon.accounts.domain.CsmTeam;
import io.beacon.accounts.service.CsmService;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Segment;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1")
@Tag(name = "CSMs and teams")
@Produces(MediaType.APPLICATION_JSON)
public class CsmResource {

    private final CsmService csms;

    CsmResource(CsmService csms) {
        this.csms = csms;
    }

    public record TeamView(String name, Segment segment, String lead) {

        static TeamView from(CsmTeam team) {
            return new TeamView(team.name, team.segment, team.lead);
        }
    }

    public record LeadRequest(@NotBlank @Size(max = 100) String csmId) {
    }

    @PUT
    @Path("/teams/{name}/lead")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a CSM of the team its lead; the team's accounts are published again with the lead")
    public TeamView lead(@PathParam("name") String name, @Valid @NotNull LeadRequest request) {
        return TeamView.from(csms.setLead(name, request.csmId()));
    }

    @POST
    @Path("/teams")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a CSM team serving one segment")
    public Response createTeam(@Valid @NotNull TeamRequest request) {
        CsmTeam team = csms.createTeam(request);
        return Response.created(URI.create("/api/v1/teams/" + team.name)).entity(TeamView.from(team)).build();
    }

    @GET
    @Path("/teams")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "All CSM teams")
    public List<TeamView> teams() {
        return csms.teams().stream().map(TeamView::from).toList();
    }

    @POST
    @Path("/csms")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a CSM to a team")
    public Response create(@Valid @NotNull CsmRequest request) {
        Csm csm = csms.createCsm(request);
        return Response.created(URI.create("/api/v1/csms/" + csm.id)).entity(view(csm)).build();
    }

    @GET
    @Path("/csms")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "All CSMs, by team")
    public List<AccountSnapshot.Csm> list() {
        return csms.csms().stream().map(CsmResource::view).toList();
    }

    private static AccountSnapshot.Csm view(Csm csm) {
        return new AccountSnapshot.Csm(csm.id, csm.name, csm.email, csm.team.name);
    }
}
