package io.beacon.notify.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.notify.slack.SlackInteractions;
import io.beacon.notify.support.ChatAndCrmServer;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.WebhookSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Slack buttons on a CTA message, clicked the way Slack delivers a click: a signed form post to the
 * interactivity endpoint, which becomes a command for the engine on ctas.commands.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class SlackButtonsTest {

    private static final String SECRET = "test-slack-signing-secret";

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final ObjectMapper json = new ObjectMapper();

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/slack/interactions")
    java.net.URI endpoint;

    @Test
    void aCsmSnoozesACtaFromSlack_andForgedOrStaleClicksChangeNothing() throws Exception {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        String slackUser = "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
        Fixtures.account(infra, account, "Button Co", "MARS", csm, "Bea Click", csm + "@customers.example", "Mars-5");
        given().auth().oauth2(infra.token(Roles.CSM, csm)).contentType(ContentType.JSON)
                .body("{\"userId\":\"" + slackUser + "\"}").when().put("/api/v1/chat-identities/slack")
                .then().statusCode(200).body("userId", equalTo(slackUser));

        String cta = "cta-" + account;
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, cta, "OPENED", account, csm, "HIGH", false,
                "5 open support tickets"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !WebhookSink.received("/hook", account).isEmpty());
        JsonNode message = json.readTree(WebhookSink.received("/hook", account).get(0));
        JsonNode actions = message.path("blocks").get(1);
        assertThat(actions.path("type").asText()).isEqualTo("actions");
        assertThat(actions.path("elements").get(0).path("type").asText()).isEqualTo("button");
        assertThat(actions.path("elements").get(0).path("action_id").asText()).isEqualTo("beacon.snooze");
        assertThat(actions.path("elements").get(0).path("value").asText()).isEqualTo(cta);
        assertThat(actions.path("elements").get(1).path("action_id").asText()).isEqualTo("beacon.close");

        // The click, as Slack posts it.
        String actionTs = Instant.now().getEpochSecond() + ".000100";
        String form = form(slackUser, "beacon.snooze", cta, actionTs);
        String now = Long.toString(Instant.now().getEpochSecond());
        assertThat(click(form, now, sign(now, form)).statusCode()).isEqualTo(200);
        ConsumerRecord<String, String> record = infra.awaitRecords(Topics.CTAS_COMMANDS, cta, 1).get(0);
        JsonNode command = json.readTree(record.value());
        assertThat(command.path("action").asText()).isEqualTo("SNOOZE");
        assertThat(command.path("actor").asText()).isEqualTo(csm);
        assertThat(command.path("via").asText()).isEqualTo("slack");
        assertThat(command.path("commandId").asText()).isEqualTo("slack:" + slackUser + ":" + actionTs);
        assertThat(Duration.between(Instant.now(), Instant.parse(command.path("until").asText())))
                .isBetween(Duration.ofDays(7).minusMinutes(5), Duration.ofDays(7).plusMinutes(5));
        ChatAndCrmServer.server().verify(1, postRequestedFor(urlEqualTo("/slack-response"))
                .withRequestBody(matchingJsonPath("$.text", WireMock.containing("Snoozing the CTA for 7 days")))
                .withRequestBody(matchingJsonPath("$.response_type", WireMock.equalTo("ephemeral"))));

        // Forged, stale, unsigned: refused, and nothing reaches the engine.
        String forgedCta = "cta-forged-" + account;
        String forged = form(slackUser, "beacon.close", forgedCta, actionTs);
        java.net.http.HttpResponse<String> refused = click(forged, now, sign(now, forged).replace("v0=", "v0=0"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        String old = Long.toString(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        assertThat(click(forged, old, sign(old, forged)).statusCode()).isEqualTo(401);
        assertThat(click(forged, null, null).statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> infra.awaitRecords(Topics.CTAS_COMMANDS, forgedCta, 1, Duration.ofSeconds(3)))
                .as("no command for a refused click").isInstanceOf(Throwable.class);
    }

    @Test
    void aSlackUserBeaconDoesNotKnowIsToldHowToLinkThemselves() throws Exception {
        String cta = "cta-" + UUID.randomUUID();
        String form = form("UNKNOWN42", "beacon.snooze", cta, "1.2");
        String now = Long.toString(Instant.now().getEpochSecond());
        assertThat(click(form, now, sign(now, form)).statusCode()).isEqualTo(200);
        ChatAndCrmServer.server().verify(postRequestedFor(urlEqualTo("/slack-response"))
                .withRequestBody(matchingJsonPath("$.text", WireMock.containing("does not know your Slack user"))));
        given().auth().oauth2(infra.token(Roles.CSM, "csm-x")).contentType(ContentType.JSON)
                .body("{\"userId\":\"not a slack id\"}").when().put("/api/v1/chat-identities/slack")
                .then().statusCode(400).body("errors[0].field", equalTo("userId"));
    }

    /** Posted with a plain HTTP client, byte for byte as signed. */
    private java.net.http.HttpResponse<String> click(String form, String timestamp, String signature) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        if (timestamp != null) {
            request.header("X-Slack-Request-Timestamp", timestamp).header("X-Slack-Signature", signature);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String timestamp, String form) {
        return "v0=" + SlackInteractions.sign(SECRET, timestamp, form.getBytes(StandardCharsets.UTF_8));
    }

    /** A block_actions payload as Slack sends it (trimmed), form-encoded. */
    private static String form(String user, String actionId, String cta, String actionTs) {
        String payload = """
                {"type":"block_actions","user":{"id":"%s","username":"bea","team_id":"T0001"},
                 "api_app_id":"A0001","team":{"id":"T0001","domain":"acme"},"trigger_id":"123.456.abc",
                 "response_url":"%s","actions":[{"action_id":"%s","block_id":"beacon-cta","value":"%s",
                 "type":"button","action_ts":"%s"}]}""".formatted(user, ChatAndCrmServer.url("/slack-response"), actionId, cta,
                actionTs);
        return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
    }
}
