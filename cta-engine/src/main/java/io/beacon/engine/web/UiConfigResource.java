package io.beacon.engine.web;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/ui-config")
@Tag(name = "Dashboard")
public class UiConfigResource {

    private final UiConfig config;

    UiConfigResource(UiConfig config) {
        this.config = config;
    }

    /** {@code signInUrl} and {@code signOutUrl} are null when the UI should ask for a token instead. */
    public record View(String signInUrl, String signOutUrl, String inboxUrl) {
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What the web UI needs before anyone signs in")
    public View get() {
        if (config.oidc().issuer().isPresent()) {
            return new View("/auth/sign-in", "/auth/sign-out", config.inboxUrl().orElse(null));
        }
        return new View(config.signInUrl().orElse(null), config.signOutUrl().orElse(null),
                config.inboxUrl().orElse(null));
    }
}
