package io.beacon.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console as a browser meets it: signing in through a real OIDC provider (authorization code
 * flow with PKCE), calling a service through the console, refresh, CSRF refusals and sign-out.
 */
@QuarkusTest
@QuarkusTestResource(SignInProvider.class)
class ConsoleSignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI console;

    @ConfigProperty(name = "beacon.console.services.echo")
    String echo;

    @Test
    void aCsmSignsInAtTheProviderAndTheConsoleKnowsWhoSheIs() throws Exception {
        Browser browser = signedIn("csm", "csm-ana");
        HttpResponse<String> me = browser.get("/api/v1/me");
        assertThat(me.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(me.body());
        assertThat(body.path("signedIn").asBoolean()).isTrue();
        assertThat(body.path("roles")).extracting(JsonNode::asText).containsExactly("csm");
        assertThat(body.path("subject").asText()).isEqualTo("csm-ana");
        assertThat(body.path("name").asText()).isEqualTo("Ana Alvarez");
        assertThat(body.path("email").asText()).isEqualTo("ana.alvarez@beacon.example");
        // Where tickets open in their desk; a template that is not a web address never reaches the page.
        assertThat(body.path("desks").path("zendesk").asText()).isEqualTo("https://acme.zendesk.com/agent/tickets/{id}");
        assertThat(body.path("desks").has("evil")).isFalse();
        // The page itself, after the round trip through the provider.
        HttpResponse<String> page = browser.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Beacon</title>");
    }

    @Test
    void aServiceGetsTheUsersBearerTokenAndNeitherCookiesNorTheBrowsersOwnAuthorization() throws Exception {
        Browser browser = signedIn("exec", "exec-demo");
        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/v1/ctas?status=OPEN&limit=5"))
                .header("Authorization", "Bearer forged").header("Accept", "application/json").GET());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode seen = JSON.readTree(answer.body());
        assertThat(seen.path("path").asText()).isEqualTo("/api/v1/ctas");
        assertThat(seen.path("query").asText()).isEqualTo("status=OPEN&limit=5");
        String authorization = seen.path("headers").path("authorization").get(0).asText();
        assertThat(authorization).startsWith("Bearer ey").isNotEqualTo("Bearer forged");
        assertThat(claims(authorization.substring(7)).path("upn").asText()).isEqualTo("exec-demo");
        assertThat(seen.path("headers").has("cookie")).isFalse();
        // A service's cookies do not reach the browser either.
        assertThat(answer.headers().allValues("set-cookie")).noneMatch(c -> c.startsWith("service_cookie"));
    }

    @Test
    void aStateChangingCallWithoutTheCsrfProofIsRefusedAndNeverReachesTheService() throws Exception {
        Browser browser = signedIn("csm", "csm-ben");
        HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/v1/ctas/1/close"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"DONE\"}")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("X-CSRF-Token");

        HttpResponse<String> wrong = browser.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/v1/ctas/1/close"))
                .header("X-CSRF-Token", "guess").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(wrong.statusCode()).isEqualTo(403);

        HttpResponse<String> foreign = browser.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/v1/ctas/1/close"))
                .header("X-CSRF-Token", browser.csrf()).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("another origin");

        HttpResponse<String> accepted = browser.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/v1/ctas/1/close"))
                .header("X-CSRF-Token", browser.csrf()).header("Content-Type", "application/json")
                .header("Origin", console.toString().replaceAll("/$", ""))
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"DONE\"}")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        JsonNode seen = JSON.readTree(accepted.body());
        assertThat(seen.path("method").asText()).isEqualTo("POST");
        assertThat(seen.path("body").asText()).isEqualTo("{\"reason\":\"DONE\"}");
        assertThat(seen.path("headers").path("content-type").get(0).asText()).isEqualTo("application/json");
    }

    @Test
    void anExpiredAccessTokenIsRefreshedWithoutTheUserNoticing() throws Exception {
        Browser browser = signedIn("rules-admin", "ops-demo");
        String first = bearer(browser.get("/services/echo/api/v1/rulesets"));
        long firstExpiry = claims(first).path("exp").asLong();
        // Past the first token's lifetime: the console must refresh it before calling the service.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> System.currentTimeMillis() / 1000 > firstExpiry);
        HttpResponse<String> later = browser.get("/services/echo/api/v1/rulesets");
        assertThat(later.statusCode()).isEqualTo(200);
        String second = bearer(later);
        assertThat(second).isNotEqualTo(first);
        assertThat(claims(second).path("exp").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(claims(second).path("upn").asText()).isEqualTo("ops-demo");
    }

    @Test
    void withoutASessionThePageGoesToTheProviderAndTheUisOwnCallsGet499() throws Exception {
        Browser stranger = new Browser();
        // The page (no data in it) loads, so it can remember the screen asked for; its calls get 499 and
        // it signs in through /sign-in, which goes to the provider.
        HttpResponse<String> page = stranger.send(HttpRequest.newBuilder(console.resolve("/")).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Beacon</title>");
        HttpResponse<String> me = stranger.send(HttpRequest.newBuilder(console.resolve("/api/v1/me"))
                .header("X-Requested-With", "JavaScript").GET());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(me.body()).path("signedIn").asBoolean()).isFalse();
        HttpResponse<String> signIn = stranger.send(HttpRequest.newBuilder(console.resolve("/sign-in")).GET());
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().firstValue("location").orElseThrow()).contains("/authorize?")
                .contains("code_challenge_method=S256").contains("client_id=beacon-ui");
        HttpResponse<String> call = stranger.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/v1/ctas"))
                .header("X-Requested-With", "JavaScript").GET());
        assertThat(call.statusCode()).isEqualTo(499);
    }

    @Test
    void signingOutEndsTheSessionAtTheConsoleAndTheProvider() throws Exception {
        Browser browser = signedIn("csm", "csm-ana");
        HttpResponse<String> out = browser.get("/sign-out");
        assertThat(out.statusCode()).isEqualTo(302);
        URI atProvider = URI.create(out.headers().firstValue("location").orElseThrow());
        assertThat(atProvider.getPath()).isEqualTo("/logout");
        HttpResponse<String> back = browser.send(HttpRequest.newBuilder(atProvider).GET());
        assertThat(back.statusCode()).isEqualTo(303);
        assertThat(back.headers().firstValue("location").orElseThrow()).contains("/signed-out.html");
        HttpResponse<String> me = browser.send(HttpRequest.newBuilder(console.resolve("/api/v1/me"))
                .header("X-Requested-With", "JavaScript").GET());
        assertThat(JSON.readTree(me.body()).path("signedIn").asBoolean()).isFalse();
        HttpResponse<String> call = browser.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/v1/ctas"))
                .header("X-Requested-With", "JavaScript").GET());
        assertThat(call.statusCode()).isEqualTo(499);
    }

    @Test
    void onlyTheServicesApisAreReachable() throws Exception {
        Browser browser = signedIn("admin", "admin-demo");
        assertThat(browser.get("/services/echo/q/metrics").statusCode()).isEqualTo(404);
        assertThat(browser.get("/services/nowhere/api/v1/ctas").statusCode()).isEqualTo(404);
        assertThat(browser.get("/services/echo/api/../q/metrics").statusCode()).isIn(400, 404);
    }

    @Test
    void aLiveFeedStreamsThroughTheConsoleEventByEvent() throws Exception {
        Browser browser = signedIn("exec", "exec-demo");
        HttpResponse<java.io.InputStream> stream = browser.client.send(HttpRequest.newBuilder(console.resolve("/services/echo/api/stream"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            // The first event arrives while the service still holds the second back: nothing is buffered.
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readData(lines));
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(echo + "/release")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(CompletableFuture.supplyAsync(() -> readData(lines)).get(10, TimeUnit.SECONDS)).isEqualTo("second");
        }
    }

    // ---- a browser -----------------------------------------------------------------------------

    private Browser signedIn(String role, String subject) throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> toProvider = browser.send(HttpRequest.newBuilder(console.resolve("/sign-in")).GET());
        assertThat(toProvider.statusCode()).isEqualTo(302);
        URI authorize = URI.create(toProvider.headers().firstValue("location").orElseThrow());
        HttpResponse<String> picker = browser.send(HttpRequest.newBuilder(authorize).GET());
        assertThat(picker.statusCode()).isEqualTo(200);
        // What the picker's button submits: the same request, with who you are.
        URI as = URI.create(authorize.toString().replace("/authorize?", "/authorize/as?") + "&role=" + role
                + "&subject=" + subject);
        HttpResponse<String> toCallback = browser.send(HttpRequest.newBuilder(as).GET());
        assertThat(toCallback.statusCode()).isEqualTo(303);
        HttpResponse<String> afterCallback = browser.send(HttpRequest.newBuilder(
                URI.create(toCallback.headers().firstValue("location").orElseThrow())).GET());
        assertThat(afterCallback.statusCode()).as(afterCallback.body()).isEqualTo(302);
        assertThat(afterCallback.headers().firstValue("location").orElseThrow()).endsWith("/sign-in");
        HttpResponse<String> toPage = browser.send(HttpRequest.newBuilder(
                URI.create(afterCallback.headers().firstValue("location").orElseThrow())).GET());
        assertThat(toPage.statusCode()).isEqualTo(303);
        assertThat(toPage.headers().firstValue("location").orElseThrow()).endsWith("/");
        return browser;
    }

    private static String bearer(HttpResponse<String> echoed) throws Exception {
        assertThat(echoed.statusCode()).isEqualTo(200);
        return JSON.readTree(echoed.body()).path("headers").path("authorization").get(0).asText().substring(7);
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String readData(BufferedReader lines) {
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    return line.substring(5).trim();
                }
            }
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    final class Browser {
        final CookieManager cookies = new CookieManager();
        final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(console.resolve(path)).header("X-Requested-With", "JavaScript").GET());
        }

        String csrf() {
            List<HttpCookie> found = new ArrayList<>(cookies.getCookieStore().getCookies());
            return found.stream().filter(c -> c.getName().equals(Csrf.COOKIE)).findFirst().orElseThrow().getValue();
        }
    }
}
