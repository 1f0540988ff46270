package io.beacon.notify.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * WireMock standing in for a Microsoft Teams Workflows webhook and a CRM's webhook receiver. Each
 * answers 2xx only to a request in its documented format (an Adaptive Card message; a signed
 * structured-mode CloudEvent); anything else gets 400, which Beacon records as a failed delivery.
 * Started on first use; {@link WebhookSink} puts its Teams URL in the configuration.
 */
public final class ChatAndCrmServer {

    public static final String TEAMS_TEAM = "Teams-7";
    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
            // Teams Workflows: "type": "message" with an Adaptive Card attachment; it answers 202.
            server.stubFor(post(urlEqualTo("/teams")).atPriority(1)
                    .withHeader("Content-Type", containing("application/json"))
                    .withRequestBody(matchingJsonPath("$.type", com.github.tomakehurst.wiremock.client.WireMock.equalTo("message")))
                    .withRequestBody(matchingJsonPath("$.attachments[0].contentType",
                            com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/vnd.microsoft.card.adaptive")))
                    .withRequestBody(matchingJsonPath("$.attachments[0].content.type",
                            com.github.tomakehurst.wiremock.client.WireMock.equalTo("AdaptiveCard")))
                    .withRequestBody(matchingJsonPath("$.attachments[0].content.version"))
                    .withRequestBody(matchingJsonPath("$.attachments[0].content.body[0].text"))
                    .willReturn(aResponse().withStatus(202)));
            // A CRM receiving CloudEvents in structured mode, signed.
            server.stubFor(post(urlEqualTo("/crm")).atPriority(1)
                    .withHeader("Content-Type", containing("application/cloudevents+json"))
                    .withHeader("X-Beacon-Signature", matching("t=\\d+,v1=[0-9a-f]{64}"))
                    .withRequestBody(matchingJsonPath("$.specversion", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1.0")))
                    .withRequestBody(matchingJsonPath("$.id"))
                    .withRequestBody(matchingJsonPath("$.source"))
                    .withRequestBody(matchingJsonPath("$.type"))
                    .withRequestBody(matchingJsonPath("$.data.ctaId"))
                    .willReturn(aResponse().withStatus(200)));
            // Slack's response_url for an interaction: takes a message for the clicker.
            server.stubFor(post(urlEqualTo("/slack-response")).atPriority(1)
                    .withRequestBody(matchingJsonPath("$.text"))
                    .willReturn(aResponse().withStatus(200).withBody("ok")));
            server.stubFor(post(urlEqualTo("/crm-down")).willReturn(aResponse().withStatus(503).withBody("maintenance")));
            server.stubFor(post(urlEqualTo("/teams")).atPriority(10)
                    .willReturn(aResponse().withStatus(400).withBody("not an Adaptive Card message")));
            server.stubFor(post(urlEqualTo("/crm")).atPriority(10)
                    .willReturn(aResponse().withStatus(400).withBody("not a signed CloudEvent")));
        }
        return server;
    }

    public static String url(String path) {
        return server().baseUrl() + path;
    }
}
