package io.beacon.platform.rest;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * Cross-site request forgery guard for the sign-in cookie. A browser sends the {@code beacon_token}
 * cookie with any request to this host, including one a foreign page makes; SameSite does not
 * cover other ports or sibling subdomains. So a state-changing request authenticated by the cookie
 * must prove it comes from the UI: its {@code Origin} (or, failing that, {@code Referer}) must be
 * this service's own origin or one of {@code beacon.http.trusted-origins}. Requests with an
 * Authorization header are not affected: no browser adds one on its own.
 */
public class SameOriginFilter {

    public static final String COOKIE = "beacon_token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final List<String> trusted;

    SameOriginFilter(@ConfigProperty(name = "beacon.http.trusted-origins") Optional<List<String>> trusted) {
        this.trusted = trusted.orElse(List.of()).stream().map(SameOriginFilter::authority).toList();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireSameOrigin(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod()) || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null
                || !request.getCookies().containsKey(COOKIE)) {
            return Optional.empty();
        }
        String origin = request.getHeaderString("Origin");
        if (origin == null || origin.equals("null")) {
            origin = request.getHeaderString("Referer");
        }
        if (origin != null) {
            String from = authority(origin);
            // The address the request was sent to (from Host, or :authority under HTTP/2).
            String self = authority(request.getUriInfo().getBaseUri().toString());
            if (from != null && (from.equals(self) || trusted.contains(from))) {
                return Optional.empty();
            }
        }
        return Optional.of(Problem.of(Status.FORBIDDEN, "This request is signed in with the Beacon cookie but does "
                + "not come from the Beacon UI (its Origin is " + (origin == null ? "missing" : "'" + origin + "'")
                + "). Use the UI, or call the API with an Authorization: Bearer header.").toResponse());
    }

    /** host:port of an origin or URL, lower case; null when it is not one. */
    private static String authority(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getHost() == null) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            return (port == 80 || port == 443) && uri.getPort() == -1 ? host : host + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
