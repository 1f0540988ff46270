package io.beacon.ingest.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.beacon.platform.errors.Refusal;
import io.beacon.platform.tx.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * API keys tied to a source name. A key is 32 random bytes (so a fast hash is enough to keep it: it
 * cannot be guessed from its SHA-256), shown once when made; rotating makes a new key and lets the old
 * one work for a grace period; revoking stops a key at once.
 */
@ApplicationScoped
public class SourceKeys {

    /** Every key starts so, which lets a log scanner or a leak detector recognise one. */
    public static final String PREFIX = "bk_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final Clock clock;

    SourceKeys(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** A key as listed: never the key itself. */
    public record Listed(String id, String source, String description, String prefix, Instant createdAt,
            String createdBy, Instant expiresAt, Instant revokedAt, String replacedBy, Instant lastUsedAt, boolean active) {
    }

    /** A key just made: the only time {@code key} is shown. */
    public record Made(String id, String source, String key, String prefix, Instant expiresAt, String note) {
    }

    /** Who a valid key belongs to. */
    public record Holder(String id, String source) {
    }

    @Transactional
    public Made create(String source, String description, String by) {
        String id = "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Jdbc.update(em, """
                INSERT INTO source_key (id, source, description, key_hash, prefix, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", id, source, description, hash(key), key.substring(0, 10),
                Timestamp.from(clock.instant()), by);
        return new Made(id, source, key, key.substring(0, 10), null,
                "Keep this key now: Beacon stores only its hash and cannot show it again.");
    }

    @Transactional
    public List<Listed> list(String source) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, source, description, prefix, created_at, created_by, expires_at, revoked_at, replaced_by,
                       last_used_at
                FROM source_key WHERE (?1 = '' OR source = ?1) ORDER BY created_at DESC, id""")
                .setParameter(1, source == null ? "" : source).getResultList();
        Instant now = clock.instant();
        return rows.stream().map(r -> {
            Instant expires = instant(r[6]);
            Instant revoked = instant(r[7]);
            return new Listed((String) r[0], (String) r[1], (String) r[2], (String) r[3], instant(r[4]), (String) r[5],
                    expires, revoked, (String) r[8], instant(r[9]),
                    revoked == null && (expires == null || expires.isAfter(now)));
        }).toList();
    }

    /** A new key for the same source; the old one keeps working for {@code grace} (zero: stops now). */
    @Transactional
    public Made rotate(String id, Duration grace, String by) {
        Listed old = active(id);
        Made made = create(old.source(), old.description(), by);
        Instant until = clock.instant().plus(grace);
        Jdbc.update(em, "UPDATE source_key SET expires_at = ?, replaced_by = ? WHERE id = ?", Timestamp.from(until),
                made.id(), id);
        return new Made(made.id(), made.source(), made.key(), made.prefix(), null,
                "Keep this key now: Beacon stores only its hash. The old key " + old.prefix() + "… works until " + until
                        + ".");
    }

    @Transactional
    public void revoke(String id, String by) {
        active(id);
        Jdbc.update(em, "UPDATE source_key SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                Timestamp.from(clock.instant()), by, id);
    }

    /** The holder of a key that is valid now; the key's last use is noted (at most once a minute). */
    @Transactional
    public Optional<Holder> verify(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() > 100) {
            return Optional.empty();
        }
        Timestamp now = Timestamp.from(clock.instant());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, source FROM source_key
                WHERE key_hash = ?1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?2)""")
                .setParameter(1, hash(key)).setParameter(2, now).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String id = (String) rows.get(0)[0];
        Jdbc.update(em, """
                UPDATE source_key SET last_used_at = ? WHERE id = ?
                  AND (last_used_at IS NULL OR last_used_at < ?::timestamptz - interval '1 minute')""", now, id, now);
        return Optional.of(new Holder(id, (String) rows.get(0)[1]));
    }

    private Listed active(String id) {
        return list(null).stream().filter(k -> k.id().equals(id)).findFirst()
                .filter(Listed::active)
                .orElseThrow(() -> Refusal.notFound("There is no active key '" + id + "'."));
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Object value) {
        return value == null ? null : value instanceof Timestamp t ? t.toInstant() : (Instant) value;
    }
}
