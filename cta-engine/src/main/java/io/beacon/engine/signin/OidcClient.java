package io.beacon.engine.signin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.engine.web.UiConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The engine's side of the OpenID Connect authorization code flow with PKCE (RFC 7636): builds the
 * redirect to the provider and trades the returned code for tokens at its token endpoint. The
 * provider's endpoints come from its discovery document, read once and kept.
 */
@ApplicationScoped
public class OidcClient {

    /** What the provider gave back; {@code accessToken} becomes the sign-in cookie. */
    public record Tokens(String accessToken, Optional<Duration> expiresIn) {
    }

    /** The provider could not be reached or answered something unusable. */
    public static class ProviderException extends RuntimeException {
        public ProviderException(String message) {
            super(message);
        }
    }

    /** The provider refused the code (expired, already used, wrong verifier or client). */
    public static class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    private record Endpoints(URI authorization, URI token, Optional<URI> endSession) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final UiConfig.Oidc config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Endpoints endpoints;

    OidcClient(UiConfig config, ObjectMapper json) {
        this.config = config.oidc();
        this.json = json;
    }

    public boolean enabled() {
        return config.issuer().isPresent();
    }

    public Duration loginTimeout() {
        return config.loginTimeout();
    }

    /** A fresh unguessable value for {@code state} and the PKCE verifier. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI redirectUri(URI requestBase) {
        return config.redirectUri().orElseGet(() -> requestBase.resolve("/auth/callback"));
    }

    public URI authorizationRedirect(String state, String verifier, URI redirectUri) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", config.clientId());
        query.put("redirect_uri", redirectUri.toString());
        query.put("scope", config.scopes());
        query.put("state", state);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        URI endpoint = endpoints().authorization();
        String separator = endpoint.getRawQuery() == null ? "?" : "&";
        return URI.create(endpoint + separator + form(query));
    }

    public Tokens exchange(String code, String verifier, URI redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("client_id", config.clientId());
        form.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoints().token()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        config.clientSecret().ifPresent(secret -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((urlEncode(config.clientId()) + ":" + urlEncode(secret)).getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> response = send(request.build());
        JsonNode body = parse(response.body());
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            throw new RefusedException("the identity provider refused the sign-in: "
                    + body.path("error").asText("HTTP " + response.statusCode())
                    + (body.hasNonNull("error_description") ? " (" + body.get("error_description").asText() + ")" : ""));
        }
        if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
            throw new ProviderException("the identity provider's token endpoint answered HTTP " + response.statusCode()
                    + " without an access token");
        }
        Optional<Duration> expiresIn = body.hasNonNull("expires_in")
                ? Optional.of(Duration.ofSeconds(body.get("expires_in").asLong()))
                : Optional.empty();
        return new Tokens(body.get("access_token").asText(), expiresIn);
    }

    /** The provider's logout page, when it has one (RP-initiated logout). */
    public Optional<URI> endSessionRedirect(URI afterwards) {
        return endpoints().endSession().map(endpoint -> URI.create(endpoint
                + (endpoint.getRawQuery() == null ? "?" : "&") + form(Map.of("client_id", config.clientId(),
                        "post_logout_redirect_uri", afterwards.toString()))));
    }

    private Endpoints endpoints() {
        Endpoints known = endpoints;
        if (known != null) {
            return known;
        }
        URI issuer = config.issuer().orElseThrow(() -> new ProviderException("no OIDC issuer is configured"));
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + ".well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build());
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200 || !body.hasNonNull("authorization_endpoint") || !body.hasNonNull("token_endpoint")) {
            throw new ProviderException("the identity provider's discovery document at " + base
                    + ".well-known/openid-configuration is not usable (HTTP " + response.statusCode() + ")");
        }
        known = new Endpoints(URI.create(body.get("authorization_endpoint").asText()),
                URI.create(body.get("token_endpoint").asText()),
                Optional.ofNullable(body.get("end_session_endpoint")).map(n -> URI.create(n.asText())));
        endpoints = known;
        return known;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ProviderException("the identity provider at " + request.uri().getHost() + " cannot be reached: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while calling the identity provider");
        }
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
