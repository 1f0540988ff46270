package io.beacon.notify.subscriptions;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.beacon.accountview.AccountView;
import io.beacon.contracts.CtaEvent;
import io.beacon.platform.errors.Refusal;
import io.beacon.platform.tx.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Outbound webhook subscriptions: who wants which CTA changes, at which URL, signed with which secret. */
@ApplicationScoped
public class WebhookSubscriptions {

    /** The recipient id a subscription's deliveries carry. */
    public static final String PREFIX = "subscription:";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final Clock clock;

    WebhookSubscriptions(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** A subscription; {@code secret} is only ever shown when it is made. */
    public record Subscription(String id, String name, String url, Set<String> kinds, Set<String> segments,
            Set<String> teams, Instant createdAt, String createdBy, String secret) {

        /** Whether a change of this kind, on an account of this segment and team, is wanted. */
        public boolean wants(CtaEvent event, String segment, String team) {
            return (kinds.isEmpty() || kinds.contains(event.kind().name()))
                    && (segments.isEmpty() || segment != null && segments.contains(segment))
                    && (teams.isEmpty() || team != null && teams.contains(team));
        }

        public String recipientId() {
            return PREFIX + id;
        }

        Subscription withoutSecret() {
            return new Subscription(id, name, url, kinds, segments, teams, createdAt, createdBy, null);
        }
    }

    @Transactional
    public Subscription create(String name, String url, Set<String> kinds, Set<String> segments, Set<String> teams, String by) {
        String id = "sub_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String secret = newSecret();
        Instant now = clock.instant();
        Jdbc.update(em, """
                INSERT INTO webhook_subscription (id, name, url, secret, kinds, segments, teams, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, name, url, secret, join(kinds), join(segments), join(teams),
                Timestamp.from(now), by);
        return new Subscription(id, name, url, kinds, segments, teams, now, by, secret);
    }

    /** Active subscriptions, without their secrets. */
    @Transactional
    public List<Subscription> list() {
        return active().stream().map(Subscription::withoutSecret).toList();
    }

    /** Active subscriptions with their secrets: for routing and signing only. */
    @Transactional
    public List<Subscription> active() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, name, url, kinds, segments, teams, created_at, created_by, secret
                FROM webhook_subscription WHERE removed_at IS NULL ORDER BY created_at, id""").getResultList();
        return rows.stream().map(r -> new Subscription((String) r[0], (String) r[1], (String) r[2], split((String) r[3]),
                split((String) r[4]), split((String) r[5]), r[6] instanceof Timestamp t ? t.toInstant() : (Instant) r[6],
                (String) r[7], (String) r[8])).toList();
    }

    /** The subscription a delivery goes to, with its secret, if it still exists. */
    @Transactional
    public Optional<Subscription> forRecipient(String recipientId) {
        return active().stream().filter(s -> s.recipientId().equals(recipientId)).findFirst();
    }

    /** A new secret; the old one stops signing at once. */
    @Transactional
    public Subscription rotateSecret(String id) {
        Subscription found = active().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> Refusal.notFound("There is no webhook subscription '" + id + "'."));
        String secret = newSecret();
        Jdbc.update(em, "UPDATE webhook_subscription SET secret = ? WHERE id = ?", secret, id);
        return new Subscription(found.id(), found.name(), found.url(), found.kinds(), found.segments(), found.teams(),
                found.createdAt(), found.createdBy(), secret);
    }

    /** Removed: nothing more is sent to it (deliveries still owed end as dead letters, saying so). */
    @Transactional
    public void remove(String id) {
        if (Jdbc.update(em, "UPDATE webhook_subscription SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                Timestamp.from(clock.instant()), id) == 0) {
            throw Refusal.notFound("There is no webhook subscription '" + id + "'.");
        }
    }

    /** The segment and team a subscription filters on, for an account as the view knows it. */
    public static String segment(AccountView account) {
        return account == null || account.segment == null ? null : account.segment.name();
    }

    private static String newSecret() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String join(Set<String> values) {
        return values == null ? "" : String.join(",", values);
    }

    private static Set<String> split(String joined) {
        return joined == null || joined.isBlank() ? Set.of()
                : Arrays.stream(joined.split(",")).filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());
    }
}
