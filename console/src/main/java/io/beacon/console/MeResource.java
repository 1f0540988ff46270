package io.beacon.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who is signed in, as the UI needs it: name, e-mail, roles, and how long the session's token lasts. */
@Path("/api/v1/me")
public class MeResource {

    /** {@code desks}: where each desk shows a ticket (see {@link ConsoleConfig#desks()}). */
    public record Me(boolean signedIn, String subject, String name, String email, List<String> roles,
            Instant tokenExpiresAt, Map<String, String> desks) {
    }

    @Inject
    ConsoleConfig config;

    @Inject
    SecurityIdentity identity;

    @Inject
    @IdToken
    JsonWebToken idToken;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in user, or signedIn false (the page then signs in; no error on a first visit)")
    public Me me() {
        if (identity.isAnonymous()) {
            return new Me(false, null, null, null, List.of(), null, Map.of());
        }
        Set<String> roles = identity.getRoles();
        String subject = idToken.getClaim("preferred_username") != null ? idToken.getClaim("preferred_username")
                : idToken.getSubject();
        String name = idToken.getClaim("name");
        return new Me(true, subject, name == null ? subject : name, idToken.getClaim("email"),
                roles.stream().sorted().toList(), Instant.ofEpochSecond(idToken.getExpirationTime()),
                desks(config.desks()));
    }

    /** Only templates that are web addresses with a place for the id: nothing else ever becomes a link. */
    static Map<String, String> desks(Map<String, String> configured) {
        Map<String, String> desks = new java.util.TreeMap<>();
        configured.forEach((source, template) -> {
            if ((template.startsWith("https://") || template.startsWith("http://")) && template.contains("{id}")) {
                desks.put(source.toLowerCase(java.util.Locale.ROOT), template);
            }
        });
        return desks;
    }
}
