package io.beacon.ingest.adapter.jsm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.beacon.ingest.config.IngestConfig;

/**
 * Jira signs an admin webhook that has a secret: {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of
 * the body>}. The request is genuine when one configured site's secret reproduces it.
 */
public final class JsmSignatureVerifier {

    private JsmSignatureVerifier() {
    }

    public record Site(String name, IngestConfig.Jsm.Site config) {
    }

    public static Optional<Site> verify(Map<String, IngestConfig.Jsm.Site> sites, String header, byte[] body) {
        if (header == null || !header.trim().startsWith("sha256=")) {
            return Optional.empty();
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(header.trim().substring("sha256=".length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (Map.Entry<String, IngestConfig.Jsm.Site> site : sites.entrySet()) {
            if (MessageDigest.isEqual(sign(site.getValue().secret(), body), presented)) {
                return Optional.of(new Site(site.getKey(), site.getValue()));
            }
        }
        return Optional.empty();
    }

    /** The signature Jira computes; public so tests and tools can sign like Jira does. */
    public static byte[] sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
