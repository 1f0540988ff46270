package io.beacon.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Cross-site request forgery protection for everything the console does on the user's behalf:
 * a state-changing request (anything but GET, HEAD, OPTIONS) must repeat, in the {@value #HEADER}
 * header, the random value of the {@value #COOKIE} cookie — which only a page of the console's own
 * origin can read (double-submit cookie) — and, if the browser names its origin, come from the
 * console's own. Otherwise 403 with a problem+json body. The sign-in callback and logout are the
 * OIDC library's and protected by its state and session checks.
 */
@ApplicationScoped
public class Csrf {

    public static final String COOKIE = "beacon_csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final SecureRandom RANDOM = new SecureRandom();

    void register(@Observes Filters filters) {
        // Before authentication, so a forged request is refused without touching the session.
        filters.register(this::check, 300);
    }

    void check(RoutingContext context) {
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null) {
            // First visit (or a cleared cookie): give the page one to repeat from now on.
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            context.response().addCookie(Cookie.cookie(COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
                    .setPath("/").setSameSite(CookieSameSite.STRICT).setHttpOnly(false)
                    .setSecure("https".equals(context.request().scheme())));
        }
        if (SAFE.contains(context.request().method())) {
            context.next();
            return;
        }
        String problem = problem(context, cookie);
        if (problem == null) {
            context.next();
            return;
        }
        context.response().setStatusCode(403).putHeader("Content-Type", "application/problem+json")
                .end("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"" + problem + "\"}");
    }

    private static String problem(RoutingContext context, Cookie cookie) {
        String origin = context.request().getHeader("Origin");
        if (origin != null && !origin.equals(ownOrigin(context))) {
            return "Request from another origin (" + origin.replace("\"", "") + ") refused.";
        }
        String header = context.request().getHeader(HEADER);
        if (cookie == null || header == null || !constantTimeEquals(cookie.getValue(), header)) {
            return "Missing or wrong " + HEADER + " header: repeat the value of the " + COOKIE + " cookie.";
        }
        return null;
    }

    private static String ownOrigin(RoutingContext context) {
        // The authority, not the Host header: over HTTP/2 (h2c included) a request has no Host header.
        var authority = context.request().authority();
        if (authority == null) {
            return null;
        }
        return context.request().scheme() + "://" + authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
