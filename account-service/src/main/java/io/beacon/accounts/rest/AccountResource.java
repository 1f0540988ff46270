package io.beacon.accounts.rest;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.accounts.service.AccountService;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/accounts")
@Tag(name = "Accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;

    AccountResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account; its segment follows from its employee count")
    public Response create(@Valid @NotNull AccountRequest request) {
        AccountSnapshot created = accounts.create(request);
        return Response.created(URI.create("/api/v1/accounts/" + created.accountId())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an account's data; publishes a new snapshot with a higher version")
    public AccountSnapshot update(@PathParam("id") String id, @Valid @NotNull AccountRequest request) {
        return accounts.update(id, request);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "One account as its current snapshot")
    public AccountSnapshot get(@PathParam("id") String id) {
        return accounts.get(id);
    }
}
