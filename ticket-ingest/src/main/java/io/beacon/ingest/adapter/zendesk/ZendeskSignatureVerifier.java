package io.beacon.ingest.adapter.zendesk;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.beacon.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Zendesk signs each webhook request: {@code base64(HMAC-SHA256(secret, timestamp + body))} in
 * {@code X-Zendesk-Webhook-Signature}, the timestamp in {@code X-Zendesk-Webhook-Signature-Timestamp}.
 * A request is genuine when one configured instance's secret reproduces the signature and the
 * timestamp is recent (an old one is a replay).
 */
@ApplicationScoped
public class ZendeskSignatureVerifier {

    public sealed interface Verdict {
    }

    public record Valid(String instance, IngestConfig.Zendesk.Instance config) implements Verdict {
    }

    public record Invalid(String reason) implements Verdict {
    }

    private final IngestConfig.Zendesk config;
    private final Clock clock;

    @Inject
    ZendeskSignatureVerifier(IngestConfig config) {
        this(config.zendesk(), Clock.systemUTC());
    }

    ZendeskSignatureVerifier(IngestConfig.Zendesk config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public Verdict verify(String timestamp, String signature, byte[] body) {
        if (config.instances().isEmpty()) {
            return new Invalid("no Zendesk instance is configured (beacon.ingest.zendesk.instances)");
        }
        if (timestamp == null || signature == null) {
            return new Invalid("X-Zendesk-Webhook-Signature and X-Zendesk-Webhook-Signature-Timestamp are required");
        }
        Instant signedAt;
        try {
            signedAt = Instant.parse(timestamp.trim());
        } catch (DateTimeParseException e) {
            return new Invalid("the signature timestamp '" + timestamp + "' is not an ISO-8601 instant");
        }
        Duration age = Duration.between(signedAt, clock.instant()).abs();
        if (age.compareTo(config.maxSignatureAge()) > 0) {
            return new Invalid("the signature timestamp is " + age.toSeconds() + " s away from now; at most "
                    + config.maxSignatureAge().toSeconds() + " s are allowed");
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            return new Invalid("the signature is not base64");
        }
        for (Map.Entry<String, IngestConfig.Zendesk.Instance> instance : config.instances().entrySet()) {
            byte[] expected = sign(instance.getValue().signingSecret(), timestamp.trim(), body);
            if (MessageDigest.isEqual(expected, presented)) {
                return new Valid(instance.getKey(), instance.getValue());
            }
        }
        return new Invalid("the signature does not match any configured Zendesk instance");
    }

    /** The signature Zendesk computes; public so tests and tools can sign like Zendesk does. */
    public static byte[] sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static String signBase64(String secret, String timestamp, byte[] body) {
        return Base64.getEncoder().encodeToString(sign(secret, timestamp, body));
    }
}
