package io.beacon.notify.channel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.delivery.Delivery;
import io.beacon.notify.delivery.Notification;
import io.beacon.notify.subscriptions.WebhookSubscriptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Sends a CTA change to a webhook subscription as a structured-mode CloudEvent
 * ({@code application/cloudevents+json}), signed with the subscription's secret:
 * {@code X-Beacon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}. The receiver
 * recomputes it and rejects an old {@code t} (a replay). The CloudEvent id is the change's id, the same
 * on every retry, so a receiver can drop a repeat.
 */
@ApplicationScoped
public class OutboundSender {

    public static final String SIGNATURE = "X-Beacon-Signature";

    private final WebhookSubscriptions subscriptions;
    private final ObjectMapper json;
    private final NotifyConfig config;
    private final Clock clock;
    private final HttpClient http;

    OutboundSender(WebhookSubscriptions subscriptions, ObjectMapper json, NotifyConfig config, Clock clock) {
        this.subscriptions = subscriptions;
        this.json = json;
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout()).build();
    }

    public void send(Delivery delivery) throws DeliveryFailure {
        WebhookSubscriptions.Subscription subscription = subscriptions.forRecipient(delivery.recipientId)
                .orElseThrow(() -> new DeliveryFailure("webhook subscription " + delivery.recipientId + " was removed"));
        String body = cloudEvent(delivery.eventId);
        long t = clock.instant().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(subscription.url())).timeout(config.webhook().timeout())
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .header(SIGNATURE, "t=" + t + ",v1=" + sign(subscription.secret(), t, body))
                    .header("X-Beacon-Delivery", Long.toString(delivery.id))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure("subscription URL '" + subscription.url() + "' is not valid: " + e.getMessage(), e);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new DeliveryFailure("subscription " + subscription.id() + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted while calling subscription " + subscription.id(), e);
        }
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new DeliveryFailure("subscription " + subscription.id() + " answered HTTP " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text)));
        }
    }

    /** The signature's hex digest: HMAC-SHA256 over {@code "<t>.<body>"}; public so receivers' tests can check it. */
    public static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Transactional
    String cloudEvent(String eventId) {
        Notification notification = Notification.findById(eventId);
        try {
            JsonNode change = json.readTree(notification.payload);
            ObjectNode data = change.deepCopy();
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("id", notification.accountId);
            account.put("name", notification.accountName);
            account.put("segment", notification.segment);
            data.set("account", json.valueToTree(account));
            String base = config.uiBaseUrl().endsWith("/") ? config.uiBaseUrl().substring(0, config.uiBaseUrl().length() - 1)
                    : config.uiBaseUrl();
            data.put("link", base + "/#/accounts/" + java.net.URLEncoder.encode(notification.accountId, StandardCharsets.UTF_8));
            ObjectNode event = json.createObjectNode();
            event.put("specversion", "1.0");
            event.put("id", notification.eventId);
            event.put("source", "/beacon/cta-engine");
            event.put("type", CloudEventHeaders.TYPE_CTA_EVENT);
            event.put("subject", notification.ctaId);
            if (change.hasNonNull("occurredAt")) {
                event.put("time", change.get("occurredAt").asText());
            }
            event.put("datacontenttype", "application/json");
            event.set("data", data);
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored CTA event " + eventId + " is unreadable", e);
        }
    }
}
