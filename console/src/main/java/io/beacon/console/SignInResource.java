package io.beacon.console;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Where the page sends a person who is not signed in: quarkus-oidc takes them to the provider and back
 * here, and here sends them to the page. The page itself is public, so it can remember the screen it
 * was asked for (the part after {@code #}, which never reaches a server) before signing in.
 */
@Path("/sign-in")
@Authenticated
public class SignInResource {

    @GET
    @Operation(summary = "Sign in at the provider, then open the console")
    public Response signIn() {
        return Response.seeOther(URI.create("/")).build();
    }
}
