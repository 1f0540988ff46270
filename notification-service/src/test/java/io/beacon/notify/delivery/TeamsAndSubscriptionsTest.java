package io.beacon.notify.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.notify.channel.OutboundSender;
import io.beacon.notify.support.ChatAndCrmServer;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.WebhookSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Microsoft Teams cards and outbound webhook subscriptions, checked by a server that knows their formats. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class TeamsAndSubscriptionsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void aTeamOnMicrosoftTeamsGetsAnAdaptiveCard() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        Fixtures.account(infra, account, "Harbor Logistics " + account, "MARS", csm, "Tara Nox", csm + "@customers.example",
                ChatAndCrmServer.TEAMS_TEAM);
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-" + account, "OPENED", account, csm,
                "HIGH", false, "5 open support tickets"));

        // SENT means the server answered 202, which it does only to an Adaptive Card message.
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("eventId", "ev-" + account).queryParam("channel", "WEBHOOK").when().get("/api/v1/deliveries")
                .then().body("[0].status", equalTo("SENT")));
        ChatAndCrmServer.server().verify(1, postRequestedFor(urlEqualTo("/teams"))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.body[0].text", WireMock.containing(
                        "New CTA: 5 open support tickets")))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.body[1].facts[0].value", WireMock.containing(
                        "Harbor Logistics " + account)))
                .withRequestBody(matchingJsonPath("$.attachments[0].content.actions[0].url", WireMock.containing(
                        "/#/accounts/" + account))));
    }

    @Test
    void aSubscriptionGetsTheChangesItAskedForAsSignedCloudEvents_andAFailingOneEndsInTheDeadLetters() throws Exception {
        JsonPath crm = subscribe("{\"name\":\"CRM\",\"url\":\"" + ChatAndCrmServer.url("/crm")
                + "\",\"kinds\":[\"ESCALATED\"],\"segments\":[\"JUPITER\"]}");
        String secret = crm.getString("secret");
        assertThat(secret).startsWith("whsec_");
        JsonPath down = subscribe("{\"name\":\"Broken automation\",\"url\":\"" + ChatAndCrmServer.url("/crm-down")
                + "\",\"kinds\":[\"ESCALATED\"],\"segments\":[\"JUPITER\"]}");

        String mars = Fixtures.id("acct");
        String jupiter = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        Fixtures.account(infra, mars, "Small Co", "MARS", csm, "Sam Ray", csm + "@customers.example", "Mars-3");
        Fixtures.account(infra, jupiter, "Giant Corp", "JUPITER", csm, "Sam Ray", csm + "@customers.example", "Mars-3");
        infra.send(Topics.CTAS_EVENTS, mars, Fixtures.cta("ev-esc-" + mars, "cta-" + mars, "ESCALATED", mars, csm,
                "CRITICAL", true, "urgent-ticket"));
        infra.send(Topics.CTAS_EVENTS, jupiter, Fixtures.cta("ev-open-" + jupiter, "cta-" + jupiter, "OPENED", jupiter, csm,
                "HIGH", false, "support-risk"));
        infra.send(Topics.CTAS_EVENTS, jupiter, Fixtures.cta("ev-esc-" + jupiter, "cta-" + jupiter, "ESCALATED", jupiter,
                csm, "CRITICAL", true, "support-risk"));

        String recipient = "subscription:" + crm.getString("id");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("recipient", recipient).when().get("/api/v1/deliveries")
                .then().body("$", hasSize(1)).body("[0].eventId", equalTo("ev-esc-" + jupiter))
                .body("[0].status", equalTo("SENT")));
        List<LoggedRequest> received = ChatAndCrmServer.server().findAll(postRequestedFor(urlEqualTo("/crm"))
                .withRequestBody(WireMock.containing("ev-esc-" + jupiter)));
        assertThat(received).hasSize(1);
        LoggedRequest request = received.get(0);
        String body = request.getBodyAsString();
        String signature = request.getHeader(OutboundSender.SIGNATURE);
        long t = Long.parseLong(signature.replaceAll("t=(\\d+),v1=.*", "$1"));
        assertThat(signature).endsWith(",v1=" + OutboundSender.sign(secret, t, body));
        assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(300);
        JsonNode event = new ObjectMapper().readTree(body);
        assertThat(event.path("id").asText()).isEqualTo("ev-esc-" + jupiter);
        assertThat(event.path("subject").asText()).isEqualTo("cta-" + jupiter);
        assertThat(event.path("data").path("kind").asText()).isEqualTo("ESCALATED");
        assertThat(event.path("data").path("account").path("segment").asText()).isEqualTo("JUPITER");

        // The broken endpoint was tried until the limit, then dead-lettered with its answer.
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .when().get("/api/v1/deliveries/dead-letters").then()
                .body("findAll { it.delivery.recipientId == 'subscription:" + down.getString("id") + "' }.reason",
                        hasItem(containsString("answered HTTP 503: maintenance"))));

        // Removed, it gets nothing more.
        given().auth().oauth2(infra.token(Roles.ADMIN)).when().delete("/api/v1/webhook-subscriptions/" + down.getString("id"))
                .then().statusCode(204);
        given().auth().oauth2(infra.token(Roles.ADMIN)).when().get("/api/v1/webhook-subscriptions")
                .then().body("id", not(hasItem(down.getString("id")))).body("secret", not(hasItem(secret)));
    }

    @Test
    void aSubscriptionIsCheckedField_byField_andOnlyForAdmins() {
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"url\":\"ftp://crm.example/in\"}").when().post("/api/v1/webhook-subscriptions")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"url\":\"https://crm.example/in\",\"kinds\":[\"EXPLODED\"]}")
                .when().post("/api/v1/webhook-subscriptions").then().statusCode(400).body("errors[0].field", equalTo("kinds"));
        given().auth().oauth2(infra.token(Roles.CSM, "csm-1")).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"url\":\"https://crm.example/in\"}").when().post("/api/v1/webhook-subscriptions")
                .then().statusCode(403);
    }

    private JsonPath subscribe(String body) {
        return given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/webhook-subscriptions").then().statusCode(201).extract().jsonPath();
    }
}
