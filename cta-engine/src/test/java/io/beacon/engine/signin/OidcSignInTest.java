package io.beacon.engine.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.beacon.localstack.security.DevSignIn;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Browser sign-in through an OpenID Connect provider, driven request by request the way a browser
 * follows redirects: the engine sends the browser to the provider with a PKCE challenge, the
 * provider sends it back with a code, the engine trades the code for an access token that becomes
 * the {@code beacon_token} cookie. The provider is the local stack's dev provider, a real HTTP
 * server on its own port that checks client, redirect URI, code and verifier.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(OidcSignInTest.Provider.class)
class OidcSignInTest {

    /** Starts the dev OIDC provider with the test signing key and points the engine at it. */
    public static class Provider implements QuarkusTestResourceLifecycleManager {
        static final String SECRET = "test-secret";
        private DevSignIn provider;

        @Override
        public Map<String, String> start() {
            try {
                provider = DevSignIn.start(0, BeaconTestInfra.get().tokens(), Path.of("../seeds/csms.csv"), SECRET);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("beacon.ui.oidc.issuer", provider.issuerUrl(), "beacon.ui.oidc.client-id", DevSignIn.CLIENT_ID,
                    "beacon.ui.oidc.client-secret", SECRET);
        }

        @Override
        public void stop() {
            provider.close();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TestHTTPResource("/")
    URI engine;

    @Test
    void aCsmSignsInAtTheProviderAndTheAccessTokenBecomesTheSessionCookie() throws Exception {
        HttpResponse<String> start = get(engine.resolve("/auth/sign-in?next=" + encode(engine + "#/cockpit")), null);
        assertThat(start.statusCode()).isEqualTo(303);
        URI authorize = location(start);
        assertThat(authorize.getPath()).isEqualTo("/authorize");
        assertThat(authorize.getQuery()).contains("code_challenge_method=S256").contains("client_id=beacon-ui")
                .contains("redirect_uri=" + engine.resolve("/auth/callback"));
        String flow = cookie(start, "beacon_signin");
        assertThat(setCookie(start, "beacon_signin")).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/auth");

        // At the provider: pick "CSM csm-dev"; it answers with a redirect back to the engine.
        HttpResponse<String> picked = get(URI.create(authorize.toString().replace("/authorize?", "/authorize/as?")
                + "&role=csm&subject=csm-dev"), null);
        assertThat(picked.statusCode()).isEqualTo(303);
        URI callback = location(picked);
        assertThat(callback.getPath()).isEqualTo("/auth/callback");

        HttpResponse<String> back = get(callback, "beacon_signin=" + flow);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        assertThat(back.headers().firstValue("Location")).hasValue(engine.resolve("/#/cockpit").toString());
        assertThat(setCookie(back, "beacon_token")).contains("HttpOnly").contains("Path=/").contains("Max-Age=43200");
        String token = cookie(back, "beacon_token");

        HttpResponse<String> me = get(engine.resolve("/api/v1/me"), "beacon_token=" + token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"subject\":\"csm-dev\"").contains("\"csm\"");

        // A code works once: replaying the callback (e.g. from history) is refused by the provider.
        HttpResponse<String> replay = get(callback, "beacon_signin=" + flow);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(replay.body()).contains("invalid_grant");

        // Signing out forgets the cookie.
        HttpResponse<String> out = get(engine.resolve("/auth/sign-out?next=/"), "beacon_token=" + token);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(setCookie(out, "beacon_token")).contains("Max-Age=0");
    }

    @Test
    void answersThatDoNotBelongToThisBrowsersSignInAreRefused() throws Exception {
        HttpResponse<String> start = get(engine.resolve("/auth/sign-in"), null);
        URI authorize = location(start);
        String flow = cookie(start, "beacon_signin");
        URI callback = location(get(URI.create(authorize.toString().replace("/authorize?", "/authorize/as?")
                + "&role=exec"), null));

        HttpResponse<String> noFlow = get(callback, null);
        assertThat(noFlow.statusCode()).isEqualTo(400);
        assertThat(noFlow.body()).contains("not started in this browser");

        HttpResponse<String> otherState = get(URI.create(callback.toString().replaceAll("state=[^&]+", "state=forged")),
                "beacon_signin=" + flow);
        assertThat(otherState.statusCode()).isEqualTo(400);
        assertThat(otherState.body()).contains("state mismatch");

        // Someone else's flow cookie (another verifier) cannot redeem this code: PKCE fails at the provider.
        String foreign = cookie(get(engine.resolve("/auth/sign-in"), null), "beacon_signin");
        String forgedFlow = flow.split("\\.")[0] + "." + foreign.split("\\.")[1] + "." + flow.split("\\.")[2];
        HttpResponse<String> wrongVerifier = get(callback, "beacon_signin=" + forgedFlow);
        assertThat(wrongVerifier.statusCode()).isEqualTo(401);

        HttpResponse<String> denied = get(engine.resolve("/auth/callback?error=access_denied&state=x"), "beacon_signin=" + flow);
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.body()).contains("access_denied");
    }

    @Test
    void signInNeverRedirectsToAnotherSiteAndAStaleCookieDoesNotLockAnyoneOut() throws Exception {
        HttpResponse<String> start = get(engine.resolve("/auth/sign-in?next=" + encode("https://evil.example/steal")),
                "beacon_token=expired.or.garbage");
        assertThat(start.statusCode()).isEqualTo(303);
        String flow = cookie(start, "beacon_signin");
        URI callback = location(get(URI.create(location(start).toString().replace("/authorize?", "/authorize/as?")
                + "&role=exec"), null));
        HttpResponse<String> back = get(callback, "beacon_signin=" + flow + "; beacon_token=expired.or.garbage");
        assertThat(back.headers().firstValue("Location")).hasValue(engine.resolve("/").toString());

        HttpResponse<String> config = get(engine.resolve("/api/v1/ui-config"), "beacon_token=expired.or.garbage");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("\"signInUrl\":\"/auth/sign-in\"").contains("\"signOutUrl\":\"/auth/sign-out\"");
        assertThat(get(engine.resolve("/"), "beacon_token=expired.or.garbage").statusCode()).isEqualTo(200);
        assertThat(get(engine.resolve("/api/v1/me"), "beacon_token=expired.or.garbage").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(URI uri, String cookies) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI location(HttpResponse<?> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    private static String setCookie(HttpResponse<?> response, String name) {
        List<String> all = response.headers().allValues("Set-Cookie");
        return all.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + " in " + all));
    }

    private static String cookie(HttpResponse<?> response, String name) {
        String header = setCookie(response, name);
        return header.substring(name.length() + 1, header.indexOf(';'));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
