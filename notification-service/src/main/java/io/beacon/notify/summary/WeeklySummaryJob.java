package io.beacon.notify.summary;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.delivery.Dispatcher;
import io.beacon.notify.intake.RecipientRole;
import io.beacon.notify.intake.Routing;
import io.beacon.notify.preferences.PreferenceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Sends the weekly executive summary: once the configured day and time has come in a recipient's time
 * zone, their summary for the week before is composed, stored and handed to the dispatcher as an
 * e-mail delivery (retries, dead letters). The unique (recipient, week) row makes it one summary a
 * week, also with several instances; one that fell due longer ago than {@code catch-up} is skipped.
 */
@ApplicationScoped
public class WeeklySummaryJob {

    private static final Logger LOG = Logger.getLogger(WeeklySummaryJob.class);

    private final EntityManager em;
    private final WeeklySummaries summaries;
    private final PreferenceService preferences;
    private final Dispatcher dispatcher;
    private final NotifyConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    WeeklySummaryJob(EntityManager em, WeeklySummaries summaries, PreferenceService preferences, Dispatcher dispatcher,
            NotifyConfig config, ObjectMapper json, Clock clock) {
        this.em = em;
        this.summaries = summaries;
        this.preferences = preferences;
        this.dispatcher = dispatcher;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(every = "${beacon.notify.weekly-summary.check-every:60s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.weeklySummary().enabled()) {
            return;
        }
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warnf("Weekly summary pass failed, will retry: %s", e.getMessage());
        }
    }

    public WeeklySchedule schedule() {
        return new WeeklySchedule(config.weeklySummary().day(), config.weeklySummary().at());
    }

    /** @return how many summaries were composed */
    public int run() {
        Instant now = clock.instant();
        int composed = 0;
        for (String email : executives()) {
            String recipient = Routing.EXECUTIVE_PREFIX + email;
            ZoneId zone = preferences.of(recipient).timeZone();
            ZonedDateTime due = schedule().latestDue(now, zone);
            if (Duration.between(due.toInstant(), now).compareTo(config.weeklySummary().catchUp()) > 0) {
                continue;
            }
            if (QuarkusTransaction.requiringNew().call(() -> compose(recipient, email, due, now))) {
                composed++;
            }
        }
        if (composed > 0) {
            dispatcher.tick();
        }
        return composed;
    }

    public List<String> executives() {
        return config.escalations().emails().orElse(List.of()).stream().map(String::trim).filter(e -> !e.isEmpty())
                .distinct().toList();
    }

    /** @return whether a summary was composed (false when this week's exists) */
    private boolean compose(String recipient, String email, ZonedDateTime due, Instant now) {
        Date weekOf = Date.valueOf(due.toLocalDate());
        boolean exists = !em.createNativeQuery("SELECT 1 FROM weekly_summary WHERE recipient_id = ?1 AND week_of = ?2")
                .setParameter(1, recipient).setParameter(2, weekOf).getResultList().isEmpty();
        if (exists) {
            return false;
        }
        Instant from = WeeklySchedule.weekStart(due).toInstant();
        WeeklySummary summary = summaries.compose(due.toLocalDate(), due.getZone(), from, due.toInstant(), now);
        String content = write(summary);
        return em.unwrap(Session.class).doReturningWork(connection -> {
            long summaryId;
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO weekly_summary (recipient_id, week_of, time_zone, period_start, period_end, content,
                                                created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (recipient_id, week_of) DO NOTHING
                    RETURNING id""")) {
                insert.setString(1, recipient);
                insert.setDate(2, weekOf);
                insert.setString(3, due.getZone().getId());
                insert.setTimestamp(4, Timestamp.from(from));
                insert.setTimestamp(5, Timestamp.from(due.toInstant()));
                insert.setString(6, content);
                insert.setTimestamp(7, Timestamp.from(now));
                try (ResultSet rs = insert.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    summaryId = rs.getLong(1);
                }
            }
            try (PreparedStatement delivery = connection.prepareStatement("""
                    INSERT INTO delivery (event_id, recipient_id, recipient_role, channel, address, status,
                                          next_attempt_at, summary_id, created_at)
                    VALUES (NULL, ?, ?, 'EMAIL', ?, 'PENDING', ?, ?, ?)""")) {
                delivery.setString(1, recipient);
                delivery.setString(2, RecipientRole.EXECUTIVE.name());
                delivery.setString(3, email);
                delivery.setTimestamp(4, Timestamp.from(now));
                delivery.setLong(5, summaryId);
                delivery.setTimestamp(6, Timestamp.from(now));
                delivery.executeUpdate();
            }
            LOG.infof("Weekly summary of %s (%s) composed for %s", due.toLocalDate(), due.getZone(), email);
            return true;
        });
    }

    private String write(WeeklySummary summary) {
        try {
            return json.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("weekly summary cannot be written as JSON", e);
        }
    }
}
