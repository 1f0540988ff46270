package io.beacon.notify.channel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.beacon.notify.config.NotifyConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Posts Slack-compatible JSON to a chat webhook; any answer but 2xx is a failure to retry. */
@ApplicationScoped
public class WebhookSender {

    private final HttpClient http;
    private final NotifyConfig config;

    WebhookSender(NotifyConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhook().timeout()).build();
    }

    public void send(String url, String json) throws DeliveryFailure {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(config.webhook().timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure("webhook URL '" + url + "' is not valid: " + e.getMessage(), e);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryFailure("webhook " + host(url) + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted while calling webhook " + host(url), e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body().strip();
            throw new DeliveryFailure("webhook " + host(url) + " answered HTTP " + response.statusCode()
                    + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body)));
        }
    }

    private static String host(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
