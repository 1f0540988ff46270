package io.beacon.engine.signin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.beacon.platform.rest.Problem;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;

/**
 * Browser sign-in through the configured OpenID Connect provider. {@code /auth/sign-in} sends the
 * browser to the provider with a fresh state and PKCE challenge (kept in a short-lived cookie that
 * only {@code /auth} sees); {@code /auth/callback} checks the state, trades the code for tokens and
 * sets the access token as the {@code beacon_token} cookie that every API call and the live feed
 * authenticate with. Failures answer problem+json that says what to do.
 */
@Path("/auth")
@PermitAll
@Tag(name = "Sign-in")
public class SignInResource {

    public static final String TOKEN_COOKIE = "beacon_token";
    static final String FLOW_COOKIE = "beacon_signin";
    private static final Logger LOG = Logger.getLogger(SignInResource.class);

    private final OidcClient oidc;

    @Context
    UriInfo uri;

    SignInResource(OidcClient oidc) {
        this.oidc = oidc;
    }

    @GET
    @Path("/sign-in")
    @Operation(summary = "Start signing in at the OIDC provider; afterwards the browser returns to 'next'")
    public Response signIn(@QueryParam("next") String next) {
        if (!oidc.enabled()) {
            return Problem.of(Status.NOT_FOUND, "Sign-in through an OIDC provider is not configured "
                    + "(beacon.ui.oidc.issuer); use a bearer token.").toResponse();
        }
        String state = OidcClient.randomToken();
        String verifier = OidcClient.randomToken();
        URI target;
        try {
            target = oidc.authorizationRedirect(state, verifier, oidc.redirectUri(uri.getBaseUri()));
        } catch (OidcClient.ProviderException e) {
            return providerDown(e);
        }
        String flow = state + "." + verifier + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(safeNext(next).getBytes(StandardCharsets.UTF_8));
        return Response.seeOther(target)
                .header("Set-Cookie", cookie(FLOW_COOKIE, flow, "/auth", Optional.of(oidc.loginTimeout())))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/callback")
    @Operation(summary = "Where the OIDC provider sends the browser back with a code")
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @QueryParam("error_description") String errorDescription,
            @CookieParam(FLOW_COOKIE) String flow) {
        if (!oidc.enabled()) {
            return Problem.of(Status.NOT_FOUND, "Sign-in through an OIDC provider is not configured.").toResponse();
        }
        if (error != null) {
            return Problem.of(Status.UNAUTHORIZED, "The identity provider did not sign you in: " + error
                    + (errorDescription == null ? "" : " (" + errorDescription + ")") + ".").toResponse();
        }
        String[] parts = flow == null ? new String[0] : flow.split("\\.");
        if (parts.length != 3) {
            return Problem.of(Status.BAD_REQUEST, "This sign-in was not started in this browser or took longer than "
                    + oidc.loginTimeout().toMinutes() + " minutes; open " + uri.getBaseUri().resolve("/auth/sign-in")
                    + " to start again.").toResponse();
        }
        if (state == null || !state.equals(parts[0]) || code == null) {
            return Problem.of(Status.BAD_REQUEST, "The sign-in answer does not belong to the sign-in this browser "
                    + "started (state mismatch); start again.").toResponse();
        }
        OidcClient.Tokens tokens;
        try {
            tokens = oidc.exchange(code, parts[1], oidc.redirectUri(uri.getBaseUri()));
        } catch (OidcClient.RefusedException e) {
            return Problem.of(Status.UNAUTHORIZED, capitalized(e.getMessage()) + "; start again.").toResponse();
        } catch (OidcClient.ProviderException e) {
            return providerDown(e);
        }
        String next = safeNext(new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8));
        return Response.seeOther(URI.create(next))
                .header("Set-Cookie", cookie(TOKEN_COOKIE, tokens.accessToken(), "/", tokens.expiresIn()))
                .header("Set-Cookie", cookie(FLOW_COOKIE, "", "/auth", Optional.of(Duration.ZERO)))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/sign-out")
    @Operation(summary = "Forget the sign-in cookie (and end the provider's session when it offers that)")
    public Response signOut(@QueryParam("next") String next) {
        URI afterwards = uri.getBaseUri().resolve(safeNext(next));
        URI target = afterwards;
        if (oidc.enabled()) {
            try {
                target = oidc.endSessionRedirect(afterwards).orElse(afterwards);
            } catch (OidcClient.ProviderException e) {
                LOG.warnf("Signing out locally only: %s", e.getMessage());
            }
        }
        return Response.seeOther(target)
                .header("Set-Cookie", cookie(TOKEN_COOKIE, "", "/", Optional.of(Duration.ZERO))).build();
    }

    /** Back only to a page of this UI: a path on this host, never to wherever a link says. */
    String safeNext(String next) {
        if (next == null || next.isBlank()) {
            return "/";
        }
        try {
            URI target = URI.create(next);
            URI base = uri.getBaseUri();
            if (target.isAbsolute()) {
                boolean sameOrigin = target.getScheme().equals(base.getScheme()) && base.getHost().equals(target.getHost())
                        && base.getPort() == target.getPort();
                return sameOrigin ? pathOf(target) : "/";
            }
            return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }

    private static String pathOf(URI target) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
                + (target.getRawFragment() == null ? "" : "#" + target.getRawFragment());
    }

    /**
     * HttpOnly (scripts never see it) and SameSite=Lax: the provider's redirect back is a cross-site
     * navigation, which must still carry the flow cookie; Secure whenever the UI is served over HTTPS.
     */
    private String cookie(String name, String value, String path, Optional<Duration> maxAge) {
        return name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Lax"
                + maxAge.map(age -> "; Max-Age=" + age.toSeconds()).orElse("")
                + ("https".equals(uri.getBaseUri().getScheme()) ? "; Secure" : "");
    }

    private static Response providerDown(OidcClient.ProviderException e) {
        LOG.warnf("OIDC sign-in failed: %s", e.getMessage());
        return Problem.of(Status.BAD_GATEWAY, "Signing in is not possible right now: " + e.getMessage() + ".")
                .toResponse();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
