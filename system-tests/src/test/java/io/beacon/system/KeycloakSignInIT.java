package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console against a real identity provider: Keycloak with the realm in
 * {@code src/test/resources/keycloak} (roles in {@code realm_access/roles}, access tokens living 20 s),
 * the whole local stack pointed at it (the console signs in there; the services verify its tokens
 * through its JWKS), and people signing in on Keycloak's own login page in Chromium. A support system
 * posts its ticket events with a client-credentials token from the same realm.
 */
class KeycloakSignInIT {

    private static final int ACCESS_TOKEN_SECONDS = 20;

    private static Path state;
    private static KeycloakServer keycloak;
    private static StackRunner stack;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean browserAvailable = Browsers.available();
        String keycloakMissing = KeycloakServer.missing();
        if ("true".equals(System.getenv("BEACON_REQUIRE_BROWSER"))) {
            // CI: a machine that cannot run this test fails it, it does not skip it.
            if (!browserAvailable || keycloakMissing != null) {
                throw new IllegalStateException("BEACON_REQUIRE_BROWSER is set but "
                        + (browserAvailable ? keycloakMissing : "Chromium or its driver is missing"));
            }
        }
        assumeTrue(browserAvailable && keycloakMissing == null,
                "needs Chromium and a Java 21+ for Keycloak: " + keycloakMissing);
        state = Files.createTempDirectory("beacon-keycloak");
        keycloak = new KeycloakServer(state.resolveSibling(state.getFileName() + "-keycloak.log"));
        Duration keycloakReady = keycloak.start(Path.of("src/test/resources/keycloak/beacon-realm.json"));
        stack = new StackRunner(state, Map.of(
                "BEACON_SEED_HISTORY", "false",
                "BEACON_CONSOLE_OIDC_ISSUER", keycloak.issuer(),
                "BEACON_CONSOLE_OIDC_CLIENT_SECRET", "beacon-ui-test-secret",
                "BEACON_CONSOLE_ROLES_CLAIM", "realm_access/roles",
                // Refresh only once a token is close to expiry, so the test sees a token lapse and come back.
                "QUARKUS_OIDC_TOKEN_REFRESH_TOKEN_TIME_SKEW", "3S",
                "MP_JWT_VERIFY_ISSUER", keycloak.issuer(),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", keycloak.jwksUri(),
                "SMALLRYE_JWT_PATH_GROUPS", "realm_access/roles"));
        Duration stackReady = stack.start();
        System.out.printf("KeycloakSignInIT: Keycloak ready in %d ms, stack in %d ms%n", keycloakReady.toMillis(),
                stackReady.toMillis());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Browsers.chromium();
    }

    /** Closes the browser after each test; when the test failed, first a screenshot and the page's console errors. */
    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.TestWatcher onFailure = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            screenshot("FAILED-" + context.getRequiredTestMethod().getName());
            if (browser != null) {
                System.err.println("KeycloakSignInIT " + context.getRequiredTestMethod().getName() + ": page at "
                        + browser.getCurrentUrl() + ", console errors: " + Browsers.consoleErrors(browser));
            }
            closeBrowser();
        }

        @Override
        public void testSuccessful(org.junit.jupiter.api.extension.ExtensionContext context) {
            closeBrowser();
        }

        @Override
        public void testAborted(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            closeBrowser();
        }
    };

    void closeBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    @Test
    void anExecSignsInAtKeycloakIsToldPlainlyTheRulesAreNotForHerAndSignsOutEverywhere() throws Exception {
        signIn("exec-erin", "erin-password", "#/dashboard");
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.id("open-escalations")).isEmpty());
        assertThat(browser.findElement(By.id("who")).getText()).contains("Erin Executive").contains("exec");
        // The menu does not offer the rules console; reached by URL, it says so in plain words.
        assertThat(browser.findElement(By.cssSelector("nav a[href='#/rules']")).isDisplayed()).isFalse();
        browser.get(console("/#/rules"));
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.id("main")).getText()
                .contains("Not available to you"));
        assertThat(browser.findElement(By.id("main")).getText()).contains("rules console").contains("rules-admin");
        assertThat(browser.findElements(By.cssSelector("#main form"))).isEmpty();

        browser.findElement(By.linkText("Sign out")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.getCurrentUrl().contains("/signed-out.html"));
        // Signed out at Keycloak too: the console sends her to its login page again, not straight in.
        browser.get(console("/"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !browser.findElements(By.id("username")).isEmpty());
        assertThat(browser.getCurrentUrl()).startsWith(keycloak.issuer());
    }

    @Test
    void aCsmsSnoozeAfterHerAccessTokenExpiredGoesThroughAfterASilentRefresh() throws Exception {
        // acct-0001 (Summit Bank) belongs to csm-ana in the seeds; five open tickets raise a support-risk CTA.
        String ingestToken = clientCredentialsToken();
        String run = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 1; i <= 5; i++) {
            Instant now = Instant.now();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(stack.uri(8081, "/api/v1/ticket-events"))
                    .header("Authorization", "Bearer " + ingestToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"eventId":"kc-%s-%d","source":"zendesk","type":"created","occurredAt":"%s","accountId":"acct-0001",
                             "ticket":{"id":"KC-%s-%d","status":"open","priority":"normal","updatedAt":"%s"}}"""
                            .formatted(run, i, now, run, i, now))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
        signIn("csm-ana", "ana-password", "#/cockpit");
        By row = By.cssSelector("#my-ctas tr[data-cta-id][data-account-id='acct-0001']");
        await().atMost(Duration.ofSeconds(60)).until(() -> !browser.findElements(row).isEmpty());
        // Her accounts, read from account-service with her Keycloak token: the row names the account.
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(browser.findElement(row)
                .getText()).contains("Summit Bank"));
        String ctaId = browser.findElement(row).getAttribute("data-cta-id");

        // Mid-edit, the access token the sign-in gave lapses. A marker in the page shows it is never
        // reloaded (a reload would also sign her in again silently through Keycloak's own session).
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.__notReloaded = true;");
        Instant signedIn = Instant.now();
        await().atMost(Duration.ofSeconds(ACCESS_TOKEN_SECONDS + 20)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Duration.between(signedIn, Instant.now()).toSeconds() > ACCESS_TOKEN_SECONDS + 2);
        By mine = By.cssSelector("#my-ctas tr[data-cta-id='" + ctaId + "']");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> browser.findElement(mine)
                .findElement(By.cssSelector("form.snooze button[type=submit]")).click());
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElements(mine).isEmpty());
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(browser
                .findElement(By.cssSelector("#parked tr[data-cta-id='" + ctaId + "']")).getText()).contains("SNOOZED"));
        // Still the same page: the console refreshed the token behind the call.
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.__notReloaded === true;"))
                .isEqualTo(true);
        screenshot("keycloak-cockpit");
    }

    @Test
    void anExecOpensAnEscalationAndLandsOnItsAccountWithTicketsAndHealthHistory() throws Exception {
        // An urgent ticket on a JUPITER account (Kestrel Bank 272) is an escalation.
        String ticket = postTickets("acct-0272", 1, "urgent").get(0);
        signIn("exec-erin", "erin-password", "#/dashboard");
        By row = By.cssSelector("#escalations tr[data-account-id='acct-0272'] a.account-link");
        awaitAfterReloads(row);
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> browser.findElement(row).click());
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().endsWith("#/accounts/acct-0272"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("account-title")).getText()).contains("Kestrel Bank 272");
            assertThat(browser.findElement(By.cssSelector("#account-tickets tr[data-ticket-id='" + ticket + "']")).getText())
                    .contains("urgent");
            assertThat(browser.findElements(By.cssSelector("#health-history tbody tr"))).isNotEmpty();
            assertThat(browser.findElements(By.cssSelector("#health-chart canvas"))).isNotEmpty();
        });
        screenshot("keycloak-account-360");
        // Nothing failed on the way: no refused call, no missing file, no script error.
        assertThat(Browsers.consoleErrors(browser)).isEmpty();
    }

    @Test
    void aCsmWorksACtaFromFindingItToHandingItOverAndHerColleagueTakesItUp() throws Exception {
        // acct-0005 (Yarrow Travel) is Ana's; five open tickets raise support risk with its playbook.
        java.util.List<String> tickets = postTickets("acct-0005", 5, "normal");
        signIn("csm-ana", "ana-password", "#/cockpit");
        By rows = By.cssSelector("#my-ctas tr[data-cta-id]");
        By row = By.cssSelector("#my-ctas tr[data-cta-id][data-account-id='acct-0005']");
        await().atMost(Duration.ofSeconds(60)).until(() -> !browser.findElements(row).isEmpty());
        // Found by the account's name: only its rows remain, and "why" names the tickets that raised it.
        browser.findElement(By.cssSelector("#cta-filter input[name=q]")).sendKeys("Yarrow");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(browser.findElements(rows)).allSatisfy(r -> assertThat(r.getText()).contains("Yarrow Travel"));
            assertThat(browser.findElement(row).findElement(By.cssSelector(".why")).getText()).contains(tickets.get(0))
                    .contains(tickets.get(4));
        });
        String ctaId = browser.findElement(row).getAttribute("data-cta-id");
        By mine = By.cssSelector("#my-ctas tr[data-cta-id='" + ctaId + "']");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> browser.findElement(mine).findElement(By.cssSelector("details.work summary")).click());
        for (int position : new int[] { 1, 2 }) {
            By task = By.cssSelector("#my-ctas tr[data-cta-id='" + ctaId + "'] fieldset.tasks input[data-position='" + position + "']");
            await().ignoreExceptions().atMost(Duration.ofSeconds(15)).untilAsserted(() -> browser.findElement(task).click());
            await().ignoreExceptions().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(browser.findElement(task).isSelected()).isTrue());
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(browser.findElement(mine)
                .findElement(By.cssSelector(".progress-text")).getText()).isEqualTo("2/4 tasks"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            browser.findElement(mine).findElement(By.cssSelector("form.note textarea")).sendKeys("They want a call on Monday.");
            browser.findElement(mine).findElement(By.cssSelector("form.note button")).click();
        });
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(browser.findElement(mine)
                .findElement(By.cssSelector("ul.notes")).getText()).contains("They want a call on Monday."));
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            new org.openqa.selenium.support.ui.Select(browser.findElement(mine).findElement(By.cssSelector("form.reassign select")))
                    .selectByValue("csm-ben");
            browser.findElement(mine).findElement(By.cssSelector("form.reassign input[name=comment]")).sendKeys("Ben knows their admin");
            browser.findElement(mine).findElement(By.cssSelector("form.reassign button")).click();
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElements(mine).isEmpty());
        signOut();

        // Ben signs in as "ben.brandt": Beacon knows him as csm-ben by his e-mail address.
        signIn("ben.brandt", "ben-password", "#/cockpit");
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(mine).isEmpty());
        await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> browser.findElement(mine).findElement(By.cssSelector("details.work summary")).click());
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String work = browser.findElement(mine).findElement(By.cssSelector("details.work")).getText();
            assertThat(work).contains("They want a call on Monday.").contains("csm-ana gave it from csm-ana to csm-ben")
                    .contains("Ben knows their admin");
            assertThat(browser.findElements(By.cssSelector("#my-ctas tr[data-cta-id='" + ctaId + "'] fieldset.tasks input:checked")))
                    .hasSize(2);
        });
        // Told in his inbox, and not told of anything he did himself.
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(browser
                .findElement(By.id("inbox-items")).getText()).contains("reassigned"));
        screenshot("cockpit-playbook");

        // He raises a CTA by hand on one of his accounts; it opens with the playbook for any risk.
        browser.findElement(By.cssSelector("#raise summary")).click();
        org.openqa.selenium.WebElement form = browser.findElement(By.id("raise-form"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> form.findElements(By.cssSelector("select[name=accountId] option")).size() > 0);
        String account = form.findElement(By.cssSelector("select[name=accountId] option")).getAttribute("value");
        form.findElement(By.name("reason")).sendKeys("champion left " + ctaId.substring(0, 6));
        new org.openqa.selenium.support.ui.Select(form.findElement(By.name("priority"))).selectByVisibleText("HIGH");
        form.findElement(By.name("note")).sendKeys("Their VP of support resigned.");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        By manual = By.xpath("//table[@id='my-ctas']//tr[@data-account-id='" + account + "'][contains(., 'champion left "
                + ctaId.substring(0, 6) + "')]");
        await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(browser.findElement(manual).getText())
                .contains("(manual)").contains("0/2 tasks").contains("HIGH"));

        // At 800 px the cockpit fits the window: no sideways scrolling.
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(800, 900));
        await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth;")).intValue() <= 800);
        screenshot("cockpit-800px");
        assertThat(Browsers.consoleErrors(browser)).isEmpty();
    }

    @Test
    void aTeamLeadSeesHerTeamsCtasWithTheirOwners() throws Exception {
        // Ana leads Mercury-1 (seeds/csms.csv); Chloe's account acct-0002 (Willow Media) gets support risk.
        postTickets("acct-0002", 5, "normal");
        signIn("csm-ana", "ana-password", "#/team");
        By row = By.cssSelector("#my-ctas tr[data-account-id='acct-0002']");
        awaitAfterReloads(row);
        assertThat(browser.findElement(By.id("cockpit-title")).getText()).contains("Team Mercury-1");
        assertThat(browser.findElement(row).getText()).contains("owner csm-chloe").contains("Willow Media");
        assertThat(browser.findElement(By.cssSelector("nav a[href='#/team']")).isDisplayed()).isTrue();
        screenshot("team-view");
    }

    @Test
    void aChangeInterruptedByTheEndOfTheSessionIsFinishedAfterSigningInAgain() throws Exception {
        postTickets("acct-0008", 5, "normal");
        signIn("csm-ana", "ana-password", "#/cockpit");
        By row = By.cssSelector("#my-ctas tr[data-cta-id][data-account-id='acct-0008']");
        await().atMost(Duration.ofSeconds(60)).until(() -> !browser.findElements(row).isEmpty());
        String ctaId = browser.findElement(row).getAttribute("data-cta-id");
        By mine = By.cssSelector("#my-ctas tr[data-cta-id='" + ctaId + "']");
        await().ignoreExceptions().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> browser.findElement(mine).findElement(By.cssSelector("details.work summary")).click());
        await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> browser.findElement(mine)
                .findElement(By.cssSelector("form.note textarea")).sendKeys("Written before the session ended."));
        // The session ends while she types (her console cookies are gone, as after a long absence).
        browser.manage().getCookies().stream().filter(c -> c.getName().startsWith("q_session"))
                .forEach(c -> browser.manage().deleteCookie(c));
        browser.findElement(mine).findElement(By.cssSelector("form.note button")).click();
        // Keycloak's own session signs her straight back in; the note she wrote is saved, and she is told.
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(browser.findElement(By.id("resumed"))
                .getText()).contains("adding a note is done"));
        await().ignoreExceptions().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> browser.findElement(mine).findElement(By.cssSelector("details.work summary")).click());
        await().ignoreExceptions().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(browser.findElement(mine)
                .findElement(By.cssSelector("ul.notes")).getText()).contains("Written before the session ended."));
    }

    // ---------------------------------------------------------------------------------------------

    private void signIn(String username, String password, String screen) {
        browser.get(console("/" + screen));
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.id("username")).isEmpty());
        assertThat(browser.getCurrentUrl()).startsWith(keycloak.issuer());
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> browser.getCurrentUrl().startsWith(console("/")) && !browser.findElement(By.id("who")).getText().isEmpty());
        // Back on the screen asked for, although the part after '#' never reaches a server.
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith(screen));
        // What Keycloak's own pages logged is not ours to judge; from here on the console's page is.
        Browsers.consoleErrors(browser);
    }

    /** Until {@code element} is on the page, reloading it meanwhile (the screen may not be live). */
    private void awaitAfterReloads(By element) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            if (browser.findElements(element).isEmpty()) {
                browser.navigate().refresh();
                return false;
            }
            return true;
        });
    }

    private void signOut() {
        browser.findElement(By.linkText("Sign out")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.getCurrentUrl().contains("/signed-out.html"));
    }

    /** Ticket events for an account through ingest with the support system's token; the tickets' ids. */
    private java.util.List<String> postTickets(String account, int count, String priority) throws Exception {
        String ingestToken = clientCredentialsToken();
        String run = Long.toString(System.nanoTime(), 36);
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Instant now = Instant.now();
            String id = "KC-" + run + "-" + i;
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(stack.uri(8081, "/api/v1/ticket-events"))
                    .header("Authorization", "Bearer " + ingestToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"eventId":"%s","source":"zendesk","type":"created","occurredAt":"%s","accountId":"%s",
                             "ticket":{"id":"%s","status":"open","priority":"%s","updatedAt":"%s"}}"""
                            .formatted(id, now, account, id, priority, now))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            ids.add(id);
        }
        return ids;
    }

    private String console(String path) {
        return stack.uri(8085, path).toString();
    }

    private String clientCredentialsToken() throws Exception {
        String basic = Base64.getEncoder().encodeToString("beacon-ingest-test:ingest-test-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=" + URLEncoder.encode("client_credentials",
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("access_token").asText();
    }

    private void screenshot(String name) {
        Browsers.screenshot(browser, name);
    }
}
