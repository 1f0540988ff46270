package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.beacon.contracts.Roles;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;

/**
 * The local stack as a user runs it: the launcher behind {@code ./beacon up}, the four packaged
 * services, embedded Kafka and PostgreSQL. Runs on shifted ports and its own state directory, so
 * it does not touch a developer's running stack.
 */
class LocalStackIT {

    @TempDir
    Path state;

    private final HttpClient http = HttpClient.newHttpClient();
    private StackRunner stack;
    private int offset;
    private Process launcher;

    @BeforeEach
    void prepare() {
        stack = new StackRunner(state);
        offset = stack.offset();
    }

    @AfterEach
    void stopLauncher() throws InterruptedException {
        stack.close();
    }

    @Test
    void upServesTheServicesAndTheConsoleStopsWithoutLeftoversAndKeepsDataForTheNextUp() throws Exception {
        Duration firstStart = start();
        assertThat(firstStart).isLessThan(Duration.ofSeconds(90));
        for (int port : List.of(8081, 8082, 8083, 8084, 8085)) {
            HttpResponse<String> health = get(port, "/q/health/ready", null);
            assertThat(health.statusCode()).as("health of port %d", port).isEqualTo(200);
            assertThat(health.body()).containsPattern("^\\{\\s*\"status\":\\s*\"UP\"");
        }

        DevTokens tokens = new DevTokens(DevKeys.load(state.resolve("keys")));
        String account = "acct-system-" + offset;
        Instant now = Instant.now();
        String event = """
                {"eventId":"sys-1","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"T-1","status":"open","priority":"urgent","updatedAt":"%s"}}
                """.formatted(now, account, now);
        assertThat(post(8081, "/api/v1/ticket-events", event, null).statusCode()).isEqualTo(401);
        assertThat(post(8081, "/api/v1/ticket-events", event, tokens.issue(Roles.EXEC, "e")).statusCode()).isEqualTo(403);
        assertThat(post(8081, "/api/v1/ticket-events", event, tokens.issue(Roles.INGEST, "desk")).statusCode()).isEqualTo(202);

        String ticketsPath = "/api/v1/accounts/" + account + "/tickets";
        String reader = tokens.issue(Roles.EXEC, "exec-1");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(8083, ticketsPath, reader).body().contains("\"lastEventId\":\"sys-1\""));

        // The stack's own Zendesk instance: a webhook signed with the secret `up` printed, for a seeded
        // organisation, becomes a ticket of the account that carries it (seeds/accounts.csv: 360000001 is acct-0001).
        String secret = Files.readString(state.resolve("keys/zendesk-webhook-secret")).trim();
        assertThat(Files.readString(log())).contains("signing secret: " + secret);
        String webhook = """
                {"type":"zen:event-type:ticket.created","account_id":1,"id":"zd-sys-%1$s","time":"%2$s",
                 "detail":{"id":"ZD-%1$s","status":"OPEN","priority":"HIGH","type":"INCIDENT","subject":"Export fails",
                           "organization_id":"360000001","created_at":"%2$s","updated_at":"%2$s"}}
                """.formatted(offset, now);
        String signedAt = Instant.now().toString();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = java.util.Base64.getEncoder().encodeToString(
                mac.doFinal((signedAt + webhook).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        HttpResponse<String> zendesk = http.send(HttpRequest.newBuilder(uri(8081, "/api/v1/webhooks/zendesk"))
                .header("Content-Type", "application/json").header("X-Zendesk-Webhook-Signature", signature)
                .header("X-Zendesk-Webhook-Signature-Timestamp", signedAt)
                .POST(HttpRequest.BodyPublishers.ofString(webhook)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(zendesk.statusCode()).as(zendesk.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> get(8083, "/api/v1/accounts/acct-0001/tickets", reader).body()
                .contains("\"ZD-" + offset + "\""));

        // Freshdesk, with a source API key made through the admin API (sent as Freshdesk sends credentials:
        // HTTP Basic), for the seeded company 48000000002 (acct-0002).
        String admin = tokens.issue(Roles.ADMIN, "ops");
        String key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(post(8081, "/api/v1/source-keys",
                "{\"source\":\"freshdesk-demo\"}", admin).body()).path("key").asText();
        assertThat(key).startsWith("bk_");
        HttpResponse<String> freshdesk = http.send(HttpRequest.newBuilder(uri(8081, "/api/v1/webhooks/freshdesk"))
                .header("Content-Type", "application/json").header("Authorization", "Basic "
                        + java.util.Base64.getEncoder().encodeToString((key + ":X").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"freshdesk_webhook":{"triggered_event":"{ticket_action:created}","ticket_id":"FD-%s",
                         "ticket_status":"Open","ticket_priority":"High","ticket_company_id":"48000000002"}}
                        """.formatted(offset))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(freshdesk.statusCode()).as(freshdesk.body()).isEqualTo(202);
        // Jira Service Management, signed with the stack's JSM secret, for the seeded organisation 10003 (acct-0003).
        String jsmSecret = Files.readString(state.resolve("keys/jsm-webhook-secret")).trim();
        String jira = """
                {"timestamp":%d,"webhookEvent":"jira:issue_created","issue":{"id":"20001","key":"SUP-%s","fields":{
                 "summary":"VPN drops","status":{"name":"Open","statusCategory":{"key":"new"}},"priority":{"name":"High"},
                 "customfield_10002":[{"id":10003,"name":"Acme"}]}}}""".formatted(now.toEpochMilli(), offset);
        mac.init(new javax.crypto.spec.SecretKeySpec(jsmSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        HttpResponse<String> jsm = http.send(HttpRequest.newBuilder(uri(8081, "/api/v1/webhooks/jsm"))
                .header("Content-Type", "application/json").header("X-Hub-Signature", "sha256="
                        + java.util.HexFormat.of().formatHex(mac.doFinal(jira.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .POST(HttpRequest.BodyPublishers.ofString(jira)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(jsm.statusCode()).as(jsm.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> get(8083, "/api/v1/accounts/acct-0002/tickets", reader).body()
                .contains("\"FD-" + offset + "\"") && get(8083, "/api/v1/accounts/acct-0003/tickets", reader).body()
                .contains("\"SUP-" + offset + "\""));
        // The key posts ticket events with plain curl; revoked, the same call is a 401.
        String curlEvent = event.replace("sys-1", "sys-curl").replace("T-1", "T-curl");
        assertThat(curl(key, curlEvent)).isEqualTo("202");
        String keyId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(8081,
                "/api/v1/source-keys?source=freshdesk-demo", admin).body()).get(0).path("id").asText();
        assertThat(http.send(HttpRequest.newBuilder(uri(8081, "/api/v1/source-keys/" + keyId)).header("Authorization",
                "Bearer " + admin).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(curl(key, curlEvent)).isEqualTo("401");

        // Five tickets of an organisation no account carries yet: parked (and kept across the restart below).
        String unknownOrg = "99" + (7000 + offset);
        for (int i = 1; i <= 5; i++) {
            assertThat(zendesk(secret, unknownOrg, "PK-" + offset + "-" + i, "parked-" + offset + "-" + i).statusCode())
                    .isEqualTo(202);
        }
        assertThat(get(8081, "/api/v1/parked-events", admin).body()).contains("\"organizationId\":\"" + unknownOrg
                + "\",\"count\":5");

        List<ProcessHandle> children = launcher.toHandle().descendants().toList();
        assertThat(children).hasSize(5); // four services and the console; PostgreSQL runs detached (pg_ctl), checked below
        launcher.destroy(); // SIGTERM: the same shutdown path as Ctrl-C
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        for (int port : StackRunner.BASE_PORTS) {
            assertThat(StackRunner.isFree(port + offset)).as("port %d released", port + offset).isTrue();
        }
        assertThat(state.resolve("postgres/data/postmaster.pid")).as("PostgreSQL stopped").doesNotExist();

        start();
        assertThat(get(8083, ticketsPath, reader).body()).contains("\"lastEventId\":\"sys-1\"");
        // After the restart the organisation is given to a new account in account-service: the five parked
        // tickets reach it, each once, and the support-risk CTA (5 open tickets) opens.
        String adminAgain = tokens.issue(Roles.ADMIN, "ops");
        String parkedAccount = "acct-parked-" + offset;
        assertThat(post(8082, "/api/v1/accounts", """
                {"id":"%s","name":"Parked Ltd","employees":150,"externalIds":{"zendesk":"%s"}}""".formatted(parkedAccount,
                unknownOrg), adminAgain).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> get(8083, "/api/v1/ctas?accountId=" + parkedAccount, reader)
                .body().contains("\"reason\":\"support-risk\""));
        String parkedTickets = get(8083, "/api/v1/accounts/" + parkedAccount + "/tickets", reader).body();
        for (int i = 1; i <= 5; i++) {
            assertThat(parkedTickets).contains("\"PK-" + offset + "-" + i + "\"");
        }
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(parkedTickets).size()).as(parkedTickets)
                .isEqualTo(5);
        assertThat(get(8081, "/api/v1/parked-events", adminAgain).body()).doesNotContain(unknownOrg);
        assertThat(Files.readString(log())).contains("Topics present");
    }

    /** {@code curl -H "X-Beacon-Key: <key>" -d <event> .../api/v1/ticket-events}: the HTTP status it printed. */
    private String curl(String key, String body) throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                "-H", "X-Beacon-Key: " + key, "-H", "Content-Type: application/json", "--data-binary", "@-",
                uri(8081, "/api/v1/ticket-events").toString()).redirectErrorStream(true).start();
        try (var in = curl.getOutputStream()) {
            in.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
        return out;
    }

    /** A Zendesk ticket.created webhook, signed as Zendesk signs it. */
    private HttpResponse<String> zendesk(String secret, String organization, String ticket, String id) throws Exception {
        String at = Instant.now().toString();
        String body = """
                {"type":"zen:event-type:ticket.created","account_id":1,"id":"%s","time":"%s",
                 "detail":{"id":"%s","status":"OPEN","priority":"NORMAL","organization_id":"%s","created_at":"%s","updated_at":"%s"}}
                """.formatted(id, at, ticket, organization, at, at);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = java.util.Base64.getEncoder().encodeToString(
                mac.doFinal((at + body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(uri(8081, "/api/v1/webhooks/zendesk"))
                .header("Content-Type", "application/json").header("X-Zendesk-Webhook-Signature", signature)
                .header("X-Zendesk-Webhook-Signature-Timestamp", at)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Duration start() throws IOException {
        Duration took = stack.start();
        launcher = stack.launcher();
        return took;
    }

    private Path log() {
        return stack.log();
    }

    private HttpResponse<String> get(int basePort, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(basePort, path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int basePort, String path, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(basePort, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(int basePort, String path) {
        return stack.uri(basePort, path);
    }
}
