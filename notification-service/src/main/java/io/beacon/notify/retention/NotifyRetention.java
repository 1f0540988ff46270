package io.beacon.notify.retention;

import java.time.Duration;
import java.util.List;

import io.beacon.platform.retention.RetentionRule;
import io.beacon.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What notification-service keeps, and for how long (change with {@code beacon.retention.keep.<rule>}),
 * in the order they are pruned (a row goes only once nothing points to it):
 * <ul>
 * <li>{@code dead-letters}, 90 days: deliveries that failed every attempt (also on notifications.dlq).</li>
 * <li>{@code delivery-log}, 30 days: deliveries that are finished (sent, dead, or carried by a digest);
 * pending ones and those awaiting a digest stay whatever their age.</li>
 * <li>{@code notifications}, 30 days, once their deliveries are gone: the received ctas.events records,
 * whose ids make a redelivered record a no-op — far longer than a record can be redelivered.</li>
 * <li>{@code weekly-summaries}, 90 days, once their delivery is gone: the weekly executive summaries as sent.</li>
 * <li>{@code closed-ctas}, 90 days after closing: CTAs in the view the weekly summary counts from (a week
 * looks back seven days).</li>
 * </ul>
 * Inbox items are the CSMs' own and are not pruned.
 */
@ApplicationScoped
class NotifyRetention implements RetentionRules {

    @Override
    public List<RetentionRule> rules() {
        return List.of(
                RetentionRule.olderThan("dead-letters", "dead_letter", "dead_at", Duration.ofDays(90)),
                RetentionRule.olderThan("delivery-log", "delivery", "created_at", Duration.ofDays(30))
                        .unless("status IN ('SENT', 'DEAD', 'DIGESTED')"
                                + " AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.delivery_id = delivery.id)"
                                + " AND NOT EXISTS (SELECT 1 FROM delivery item WHERE item.digest_id = delivery.id)"),
                RetentionRule.olderThan("notifications", "notification", "received_at", Duration.ofDays(30))
                        .unless("NOT EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = notification.event_id)"),
                RetentionRule.olderThan("weekly-summaries", "weekly_summary", "created_at", Duration.ofDays(90))
                        .unless("NOT EXISTS (SELECT 1 FROM delivery d WHERE d.summary_id = weekly_summary.id)"),
                RetentionRule.olderThan("closed-ctas", "cta_view", "closed_at", Duration.ofDays(90))
                        .unless("status = 'CLOSED'"));
    }
}
