package io.beacon.console;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.oidc.IdToken;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who is signed in, as the UI needs it: name, e-mail, roles, and how long the session's token lasts. */
@Path("/api/v1/me")
@Authenticated
public class MeResource {

    public record Me(String subject, String name, String email, List<String> roles, Instant tokenExpiresAt) {
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in user")
    public Me me() {
        Set<String> roles = identity.getRoles();
        String subject = idToken.getClaim("preferred_username") != null ? idToken.getClaim("preferred_username")
                : idToken.getSubject();
        String name = idToken.getClaim("name");
        return new Me(subject, name == null ? subject : name, idToken.getClaim("email"),
                roles.stream().sorted().toList(), Instant.ofEpochSecond(idToken.getExpirationTime()));
    }
}
