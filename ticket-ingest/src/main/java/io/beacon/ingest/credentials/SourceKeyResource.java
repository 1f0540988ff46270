package io.beacon.ingest.credentials;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.platform.errors.Refusal;
import io.beacon.platform.validation.CleanText;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Source API keys: made, listed, rotated and revoked by an admin. */
@Path("/api/v1/source-keys")
@Tag(name = "Source keys")
@Produces(MediaType.APPLICATION_JSON)
public class SourceKeyResource {

    private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final SourceKeys keys;
    private final SecurityIdentity caller;

    SourceKeyResource(SourceKeys keys, SecurityIdentity caller) {
        this.keys = keys;
        this.caller = caller;
    }

    public record KeyRequest(@NotBlank @Size(max = 64) String source, @Size(max = 200) @CleanText String description) {
    }

    public record RotateRequest(@Min(0) @Max(720) Integer graceHours) {
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make an API key for a source (shown once)",
            description = "The key authenticates POST /api/v1/ticket-events and the desk webhooks that take keys, "
                    + "in the header `X-Beacon-Key` or as the user name of HTTP Basic authentication.")
    public Response create(@NotNull @Valid KeyRequest request) {
        if (!SOURCE.matcher(request.source()).matches()) {
            throw Refusal.invalid("source", "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return Response.status(201).entity(keys.create(request.source(), request.description(), by())).build();
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The keys (never the keys themselves), newest first; `source` filters")
    public List<SourceKeys.Listed> list(@QueryParam("source") String source) {
        return keys.list(source);
    }

    @POST
    @Path("/{id}/rotate")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new key for the same source; the old one works for `graceHours` more (default 24, 0 to 720)")
    public Response rotate(@PathParam("id") String id, @Valid RotateRequest request) {
        int grace = request == null || request.graceHours() == null ? 24 : request.graceHours();
        return Response.status(201).entity(keys.rotate(id, Duration.ofHours(grace), by())).build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke a key: it stops working at once")
    public Response revoke(@PathParam("id") String id) {
        keys.revoke(id, by());
        return Response.noContent().build();
    }

    private String by() {
        return caller.getPrincipal().getName();
    }
}
