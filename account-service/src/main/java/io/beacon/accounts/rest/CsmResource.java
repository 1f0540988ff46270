package io.beacon.accounts.rest;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.accounts.domain.Csm;
import io.beacon.accounts.service.AccountService;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/csms")
@Tag(name = "CSMs")
@Produces(MediaType.APPLICATION_JSON)
public class CsmResource {

    private final AccountService accounts;

    CsmResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a CSM to a team")
    public Response create(@Valid @NotNull CsmRequest request) {
        Csm csm = accounts.createCsm(request);
        return Response.created(URI.create("/api/v1/csms/" + csm.id)).entity(view(csm)).build();
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "All CSMs, by team")
    public List<AccountSnapshot.Csm> list() {
        return accounts.csms().stream().map(CsmResource::view).toList();
    }

    private static AccountSnapshot.Csm view(Csm csm) {
        return new AccountSnapshot.Csm(csm.id, csm.name, csm.email, csm.team);
    }
}
