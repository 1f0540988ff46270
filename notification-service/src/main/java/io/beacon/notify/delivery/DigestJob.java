package io.beacon.notify.delivery;

import io.beacon.notify.preferences.PreferenceService;
import io.beacon.notify.preferences.Preferences;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Composes daily digests. Once a recipient's digest time has passed on their local date (and it is
 * not quiet), everything waiting for their digest on a channel becomes one delivery, dispatched like
 * any other (retries, dead letters). The unique (recipient, channel, local date) index makes it one
 * digest a day even with several instances; what arrives after it waits for the next day's.
 */
@ApplicationScoped
public class DigestJob {

    private static final Logger LOG = Logger.getLogger(DigestJob.class);

    private final EntityManager em;
    private final PreferenceService preferences;
    private final Dispatcher dispatcher;
    private final Clock clock;

    DigestJob(EntityManager em, PreferenceService preferences, Dispatcher dispatcher, Clock clock) {
        this.em = em;
        this.preferences = preferences;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    @Scheduled(every = "${beacon.notify.digest.check-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf("Digest pass failed, will retry: %s", e.getMessage());
        }
    }

    /** @return how many digests were composed */
    public int run() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object[]> waiting = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT DISTINCT recipient_id, channel FROM delivery WHERE status = 'DIGEST' ORDER BY 1, 2")
                .getResultList());
        int composed = 0;
        for (Object[] row : waiting) {
            String recipient = (String) row[0];
            Channel channel = Channel.valueOf((String) row[1]);
            Preferences prefs = preferences.of(recipient);
            if (!prefs.digestDue(now)) {
                continue;
            }
            LocalDate date = prefs.localDate(now);
            if (QuarkusTransaction.requiringNew().call(() -> compose(recipient, channel, date, now))) {
                composed++;
            }
        }
        if (composed > 0) {
            dispatcher.tick();
        }
        return composed;
    }

    /** @return whether a digest was composed (false when today's has already gone out) */
    private boolean compose(String recipient, Channel channel, LocalDate date, Instant now) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            long digestId;
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO delivery (event_id, recipient_id, recipient_role, channel, address, status,
                                          next_attempt_at, digest_date, created_at)
                    SELECT NULL, recipient_id, recipient_role, channel, address, 'PENDING', ?, ?, ?
                    FROM delivery
                    WHERE recipient_id = ? AND channel = ? AND status = 'DIGEST'
                    ORDER BY id DESC
                    LIMIT 1
                    ON CONFLICT (recipient_id, channel, digest_date) WHERE digest_date IS NOT NULL DO NOTHING
                    RETURNING id
                    """)) {
                insert.setTimestamp(1, Timestamp.from(now));
                insert.setDate(2, Date.valueOf(date));
                insert.setTimestamp(3, Timestamp.from(now));
                insert.setString(4, recipient);
                insert.setString(5, channel.name());
                try (ResultSet rs = insert.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    digestId = rs.getLong(1);
                }
            }
            try (PreparedStatement items = connection.prepareStatement("""
                    UPDATE delivery SET status = 'DIGESTED', digest_id = ?
                    WHERE recipient_id = ? AND channel = ? AND status = 'DIGEST'
                    """)) {
                items.setLong(1, digestId);
                items.setString(2, recipient);
                items.setString(3, channel.name());
                items.executeUpdate();
            }
            return true;
        });
    }
}
