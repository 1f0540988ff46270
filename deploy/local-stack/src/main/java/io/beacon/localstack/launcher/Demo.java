package io.beacon.localstack.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import io.beacon.localstack.security.DevTokens;

/**
 * {@code ./beacon demo}: a short ticket story on a running stack, told as it happens. Tickets open
 * one by one on a quiet MARS account until the support-risk CTA appears (at the active version's
 * threshold for MARS), then an urgent ticket on a VENUS account escalates; each step says what
 * Beacon did and where to see it in the UI. Everything goes through the public APIs: ticket-ingest
 * with an ingest token, the engine and account-service with read tokens.
 */
final class Demo {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final StackLayout layout;
    private final DevTokens tokens;
    private final PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String run = Long.toString(Instant.now().getEpochSecond(), 36).toUpperCase();

    Demo(StackLayout layout, DevTokens tokens, PrintWriter out) {
        this.layout = layout;
        this.tokens = tokens;
        this.out = out;
    }

    /** @return 0 when the story ran to its end, 1 when Beacon did not do what it should have */
    int run() throws Exception {
        String console = url(8085, "/");
        int threshold = threshold();
        JsonNode mars = quietAccount("MARS");
        String account = mars.path("id").asText();
        out.printf("1. A ticket story for %s (%s, MARS, CSM %s). Support risk for MARS opens at %d open tickets (ruleset v%d).%n",
                mars.path("name").asText(), account, mars.path("csmId").asText(), threshold, activeVersion());
        for (int n = 1; n <= threshold; n++) {
            String ticket = "DEMO-" + run + "-" + n;
            post(account, ticket, "normal");
            int count = n;
            await("the engine to count ticket " + ticket, () -> openTickets(account) >= count ? Boolean.TRUE : null);
            JsonNode cta = n < threshold ? null : await("the support-risk CTA", () -> cta(account, "support-risk"));
            out.printf("   ticket %s opened: %d open ticket%s%s%n", ticket, n, n == 1 ? "" : "s",
                    cta == null ? ", no CTA yet" : "");
            out.flush();
            if (cta != null) {
                out.printf("2. CTA raised: %s %s, priority %s, owner %s, by rule %s of v%d.%n      Why: %s%n",
                        cta.path("type").asText(), cta.path("reason").asText(), cta.path("priority").asText(),
                        cta.path("ownerCsmId").asText(), cta.path("rule").asText(), cta.path("rulesetVersion").asInt(),
                        cta.path("explanation"));
                out.printf("   See it on the account's page: %s#/accounts/%s (sign in as csm %s or as exec).%n", console,
                        account, mars.path("csmId").asText());
            }
        }
        JsonNode venus = quietAccount("VENUS");
        String urgentAccount = venus.path("id").asText();
        String urgent = "DEMO-" + run + "-U";
        post(urgentAccount, urgent, "urgent");
        JsonNode escalation = await("the urgent-ticket escalation", () -> cta(urgentAccount, "urgent-ticket"));
        out.printf("3. An urgent ticket %s on %s (%s, VENUS) escalated: %s, priority %s, escalated %s.%n", urgent,
                venus.path("name").asText(), urgentAccount, escalation.path("reason").asText(),
                escalation.path("priority").asText(), escalation.path("escalated").asBoolean());
        out.printf("   It is on the executive dashboard: %s#/dashboard (sign in as exec).%n", console);
        out.flush();
        out.printf("4. Next: lower MARS from %d to 3 in the rules console, %s#/rules (sign in as rules-admin): save the "
                + "draft, backtest it, activate it. Then run ./beacon demo again: the CTA comes at the third ticket.%n",
                threshold, console);
        out.flush();
        return 0;
    }

    /** supportRisk.openTickets for MARS in the active version. */
    private int threshold() throws Exception {
        int version = activeVersion();
        JsonNode detail = get(8083, "/api/v1/rulesets/default/versions/" + version, Roles.RULES_ADMIN);
        return detail.path("params").path("supportRisk.openTickets").path("MARS").asInt(5);
    }

    private int activeVersion() throws Exception {
        for (JsonNode ruleset : get(8083, "/api/v1/rulesets", Roles.RULES_ADMIN)) {
            if ("default".equals(ruleset.path("name").asText())) {
                return ruleset.path("activeVersion").asInt();
            }
        }
        throw new DemoFailed("the engine has no active ruleset 'default'");
    }

    /** A seeded account of the segment with no open tickets and no open CTA, so the story starts from quiet. */
    private JsonNode quietAccount(String segment) throws Exception {
        JsonNode accounts = get(8082, "/api/v1/accounts?segment=" + segment + "&size=200", Roles.ADMIN);
        Iterator<JsonNode> all = accounts.isArray() ? accounts.elements() : accounts.path("items").elements();
        while (all.hasNext()) {
            JsonNode account = all.next();
            String id = account.path("id").asText(account.path("accountId").asText());
            if (openTickets(id) == 0 && get(8083, "/api/v1/ctas?status=OPEN&accountId=" + enc(id), Roles.EXEC).isEmpty()) {
                return json.createObjectNode().put("id", id).put("name", account.path("name").asText(id))
                        .put("csmId", account.path("csm").path("id").asText(account.path("csmId").asText()));
            }
        }
        throw new DemoFailed("no " + segment + " account is quiet (no open tickets, no open CTA); start from a fresh stack "
                + "(./beacon down, delete .beacon/, ./beacon up)");
    }

    private int openTickets(String account) throws Exception {
        int open = 0;
        for (JsonNode ticket : get(8083, "/api/v1/accounts/" + enc(account) + "/tickets", Roles.EXEC)) {
            String status = ticket.path("status").asText().toLowerCase();
            if (!ticket.path("deleted").asBoolean() && !status.equals("solved") && !status.equals("closed")) {
                open++;
            }
        }
        return open;
    }

    private JsonNode cta(String account, String reason) throws Exception {
        for (JsonNode cta : get(8083, "/api/v1/ctas?accountId=" + enc(account), Roles.EXEC)) {
            if (reason.equals(cta.path("reason").asText()) && !"CLOSED".equals(cta.path("status").asText())) {
                return cta;
            }
        }
        return null;
    }

    private void post(String account, String ticket, String priority) throws Exception {
        Instant now = Instant.now();
        String body = """
                {"eventId":"demo-%s","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"%s","status":"open","priority":"%s","type":"incident","subject":"Demo ticket %s",
                 "createdAt":"%s","updatedAt":"%s"}}""".formatted(ticket, now, account, ticket, priority, ticket, now, now);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url(8081, "/api/v1/ticket-events")))
                .header("Authorization", "Bearer " + tokens.issue(Roles.INGEST, "demo"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 202) {
            throw new DemoFailed("ticket-ingest answered " + response.statusCode() + " to ticket " + ticket + ": " + response.body());
        }
    }

    private <T> T await(String what, Callable<T> condition) throws Exception {
        Instant deadline = Instant.now().plus(STEP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            T value = condition.call();
            if (value != null) {
                return value;
            }
            Thread.sleep(250);
        }
        throw new DemoFailed("waited " + STEP_TIMEOUT.toSeconds() + " s for " + what + "; see ./beacon logs cta-engine");
    }

    /** A step's check, which may call the APIs. */
    interface Callable<T> {
        T call() throws Exception;
    }

    private JsonNode get(int port, String path, String role) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url(port, path)))
                .header("Authorization", "Bearer " + tokens.issue(role, role + "-demo")).GET());
        if (response.statusCode() != 200) {
            throw new DemoFailed("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DemoFailed("Beacon is not reachable (" + e.getMessage() + "); start it with ./beacon up --detach");
        }
    }

    private String url(int port, String path) {
        return "http://localhost:" + (port + layout.portOffset()) + path;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The story could not go on; the message says why and what to do. */
    static final class DemoFailed extends Exception {
        DemoFailed(String message) {
            super(message);
        }
    }
}
