package io.beacon.localstack.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jose4j.json.JsonUtil;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.beacon.contracts.Roles;

/**
 * The local stack's identity provider: a small OpenID Connect provider — discovery, authorization
 * code flow with PKCE, ID tokens (with the sign-in's nonce), refresh tokens (rotated on use), a JWKS,
 * and RP-initiated logout — whose login page lets you pick a role, and for a CSM who you are, instead
 * of asking for a password. Its discovery document names the issuer its tokens carry, so a standard
 * client (the console's quarkus-oidc) signs people in against it with the configuration it would use
 * for any provider. It knows one client; codes are single-use and expire after a minute.
 */
public final class DevSignIn implements AutoCloseable {

    public static final String CLIENT_ID = "beacon-ui";
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    /** Short, like a real provider's, so the console's refresh is exercised every day. */
    public static final Duration DEFAULT_ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(15);
    private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Grant(String role, String subject, String redirectUri, String challenge, String nonce,
            Instant expires) {
    }

    private record Session(String role, String subject, Instant expires) {
    }

    private final HttpServer server;
    private final DevTokens tokens;
    private final String clientSecret;
    private final List<String[]> csms;
    private final Duration accessTokenLifetime;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Session> refreshTokens = new ConcurrentHashMap<>();

    private DevSignIn(HttpServer server, DevTokens tokens, String clientSecret, List<String[]> csms,
            Duration accessTokenLifetime) {
        this.server = server;
        this.tokens = tokens;
        this.clientSecret = clientSecret;
        this.csms = csms;
        this.accessTokenLifetime = accessTokenLifetime;
    }

    /**
     * @param csmsCsv the seeded CSMs ({@code id,name,email,team,segment}), offered as CSM identities
     * @param clientSecret the secret of the one client, {@link #CLIENT_ID}
     */
    public static DevSignIn start(int port, DevTokens tokens, Path csmsCsv, String clientSecret) throws IOException {
        return start(port, tokens, csmsCsv, clientSecret, DEFAULT_ACCESS_TOKEN_LIFETIME);
    }

    /** @param accessTokenLifetime how long access and ID tokens live; refresh tokens live 12 hours */
    public static DevSignIn start(int port, DevTokens tokens, Path csmsCsv, String clientSecret,
            Duration accessTokenLifetime) throws IOException {
        List<String[]> csms = Files.exists(csmsCsv) ? Files.readAllLines(csmsCsv).stream().skip(1)
                .filter(l -> !l.isBlank()).map(l -> l.split(",")).toList() : List.of();
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        DevSignIn provider = new DevSignIn(server, tokens, clientSecret, csms, accessTokenLifetime);
        server.createContext("/.well-known/openid-configuration", provider::discovery);
        server.createContext("/authorize", provider::authorize);
        server.createContext("/token", provider::token);
        server.createContext("/jwks", provider::jwks);
        server.createContext("/logout", provider::logout);
        // Browsers ask every host for an icon; answering "none" keeps their consoles free of 404s.
        server.createContext("/favicon.ico", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return provider;
    }

    public static String newClientSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String issuerUrl() {
        return "http://localhost:" + port();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        // The issuer its tokens carry (a URL of its own would differ from the services' expected issuer).
        document.put("issuer", DevTokens.ISSUER);
        document.put("authorization_endpoint", issuerUrl() + "/authorize");
        document.put("token_endpoint", issuerUrl() + "/token");
        document.put("jwks_uri", issuerUrl() + "/jwks");
        document.put("end_session_endpoint", issuerUrl() + "/logout");
        document.put("scopes_supported", List.of("openid", "profile", "email"));
        document.put("claims_supported", List.of("sub", "name", "email", "preferred_username", "groups", "upn"));
        document.put("response_types_supported", List.of("code"));
        document.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        json(exchange, 200, document);
    }

    /** {@code /authorize} shows the role picker; {@code /authorize/as} issues the code. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        String redirectUri = query.getOrDefault("redirect_uri", "");
        if (!CLIENT_ID.equals(query.get("client_id")) || !localRedirect(redirectUri)) {
            html(exchange, 400, "<p>Unknown client or redirect URI (only " + CLIENT_ID + " on localhost).</p>");
            return;
        }
        if (!"code".equals(query.get("response_type")) || !"S256".equals(query.get("code_challenge_method"))
                || query.getOrDefault("code_challenge", "").isEmpty()) {
            redirect(exchange, redirectUri + "?error=invalid_request&state=" + encode(query.getOrDefault("state", "")));
            return;
        }
        if (exchange.getRequestURI().getPath().equals("/authorize/as")) {
            String role = query.getOrDefault("role", "");
            if (!DevTokens.ROLES.contains(role)) {
                html(exchange, 400, "<p>Unknown role.</p>");
                return;
            }
            String subject = query.getOrDefault("subject", "").isBlank() ? role + "-demo" : query.get("subject");
            String code = newClientSecret();
            codes.put(code, new Grant(role, subject, redirectUri, query.get("code_challenge"), query.get("nonce"),
                    Instant.now().plus(CODE_LIFETIME)));
            redirect(exchange, redirectUri + "?code=" + encode(code) + "&state=" + encode(query.getOrDefault("state", "")));
            return;
        }
        html(exchange, 200, picker(query));
    }

    private String picker(Map<String, String> request) {
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                "code_challenge", "code_challenge_method")) {
            hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                    .append(escape(request.getOrDefault(name, ""))).append("\">");
        }
        StringBuilder html = new StringBuilder("""
                <h1>Beacon — local sign-in</h1>
                <p>The local stack's identity provider: pick who you are. A real deployment signs you in at its own OIDC provider.</p>
                """);
        for (String role : List.of(Roles.EXEC, Roles.CSM, Roles.RULES_ADMIN, Roles.ADMIN)) {
            html.append("<form method=\"get\" action=\"/authorize/as\">").append(hidden)
                    .append("<input type=\"hidden\" name=\"role\" value=\"").append(role).append("\">");
            if (role.equals(Roles.CSM) && !csms.isEmpty()) {
                html.append("<label>CSM <select name=\"subject\">");
                csms.forEach(c -> html.append("<option value=\"").append(escape(c[0])).append("\">").append(escape(c[1]))
                        .append(" (").append(escape(c.length > 3 ? c[3] : "")).append(")</option>"));
                html.append("</select></label> ");
            } else {
                html.append("<input type=\"hidden\" name=\"subject\" value=\"").append(role.equals(Roles.EXEC)
                        ? "exec-demo" : role.equals(Roles.RULES_ADMIN) ? "ops-demo" : "admin-demo").append("\">");
            }
            html.append("<button type=\"submit\" id=\"as-").append(role).append("\">Sign in as ").append(role)
                    .append("</button></form>");
        }
        return html.toString();
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            json(exchange, 405, Map.of("error", "invalid_request", "error_description", "POST only"));
            return;
        }
        Map<String, String> form;
        try (InputStream body = exchange.getRequestBody()) {
            form = parse(new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
        if (!clientAuthenticated(exchange, form)) {
            json(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        if ("refresh_token".equals(form.get("grant_type"))) {
            Session session = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
            if (session == null || session.expires().isBefore(Instant.now())) {
                json(exchange, 400, Map.of("error", "invalid_grant", "error_description",
                        "unknown, used, revoked or expired refresh token"));
                return;
            }
            json(exchange, 200, tokenResponse(session.role(), session.subject(), null));
            return;
        }
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null || grant.expires().isBefore(Instant.now())
                || !grant.redirectUri().equals(form.get("redirect_uri"))
                || !grant.challenge().equals(challenge(form.getOrDefault("code_verifier", "")))) {
            json(exchange, 400, Map.of("error", "invalid_grant", "error_description",
                    "unknown, used or expired code, or a verifier/redirect URI that does not match"));
            return;
        }
        json(exchange, 200, tokenResponse(grant.role(), grant.subject(), grant.nonce()));
    }

    /** Access token, ID token and a new refresh token (the one used, if any, is spent). */
    private Map<String, Object> tokenResponse(String role, String subject, String nonce) {
        Map<String, Object> profile = profile(role, subject);
        String refresh = newClientSecret();
        refreshTokens.put(refresh, new Session(role, subject, Instant.now().plus(REFRESH_TOKEN_LIFETIME)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", tokens.issue(role, subject, accessTokenLifetime, profile));
        answer.put("id_token", tokens.idToken(subject, CLIENT_ID, nonce, accessTokenLifetime, profile));
        answer.put("refresh_token", refresh);
        answer.put("token_type", "Bearer");
        answer.put("expires_in", accessTokenLifetime.toSeconds());
        answer.put("refresh_expires_in", REFRESH_TOKEN_LIFETIME.toSeconds());
        answer.put("scope", "openid profile email");
        return answer;
    }

    /** Name, e-mail and role of who signed in: a seeded CSM's own, or a demo identity for the other roles. */
    private Map<String, Object> profile(String role, String subject) {
        Map<String, Object> profile = new LinkedHashMap<>();
        String[] csm = csms.stream().filter(c -> c[0].equals(subject)).findFirst().orElse(null);
        profile.put("name", csm != null && csm.length > 1 ? csm[1] : subject);
        profile.put("email", csm != null && csm.length > 2 ? csm[2] : subject + "@beacon.local");
        profile.put("preferred_username", subject);
        profile.put("groups", List.of(role));
        return profile;
    }

    private void jwks(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Cache-Control", "max-age=300");
        send(exchange, 200, "application/json", tokens.jwks());
    }

    /**
     * RP-initiated logout: ends the refresh tokens of whoever the ID token hint names, then returns the
     * browser to the client's {@code post_logout_redirect_uri} (on localhost) with its state.
     */
    private void logout(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        tokens.verify(query.getOrDefault("id_token_hint", "")).ifPresent(claims -> {
            try {
                String subject = claims.getSubject();
                refreshTokens.values().removeIf(session -> session.subject().equals(subject));
            } catch (org.jose4j.jwt.MalformedClaimException e) {
                // no subject: nothing to end
            }
        });
        String back = query.getOrDefault("post_logout_redirect_uri", "");
        if (!back.isEmpty() && localRedirect(back)) {
            String state = query.get("state");
            redirect(exchange, state == null ? back : back + "?state=" + encode(state));
            return;
        }
        html(exchange, 200, "<h1>Signed out</h1><p>You have been signed out of the local identity provider.</p>");
    }

    private boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 && CLIENT_ID.equals(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8))
                    && clientSecret.equals(URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
        }
        return CLIENT_ID.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"));
    }

    private static boolean localRedirect(String redirectUri) {
        try {
            URI uri = URI.create(redirectUri);
            return "http".equals(uri.getScheme()) && "localhost".equals(uri.getHost()) && uri.getRawQuery() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return result;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    private static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        send(exchange, status, "application/json", JsonUtil.toJson(body));
    }

    private static void html(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Beacon dev sign-in</title><link rel="icon" href="data:,">
                <style>body{font:15px system-ui,sans-serif;max-width:640px;margin:40px auto;color:#1b1f24}
                form{border:1px solid #d4d9de;border-radius:8px;padding:12px 16px;margin:12px 0}
                button{font:inherit;background:#0b5cad;color:#fff;border:0;border-radius:5px;padding:5px 12px}
                button:focus-visible,select:focus-visible{outline:3px solid #ffbf47}</style></head><body>
                """ + body + "</body></html>");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
