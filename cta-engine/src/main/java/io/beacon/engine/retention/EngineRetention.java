package io.beacon.engine.retention;

import java.time.Duration;
import java.util.List;

import io.beacon.platform.retention.RetentionRule;
import io.beacon.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the engine keeps, and for how long (change with {@code beacon.retention.keep.<rule>}):
 * <ul>
 * <li>{@code processed-events}, 7 days: the ids of events applied, which make a redelivered record a
 * no-op. A record is redelivered when an instance stops before committing its offsets — seconds or
 * minutes later — or when a consumer group's offsets are lost (Kafka keeps them 7 days). An event
 * older than its id's record is still harmless: it is not newer than its ticket's stored snapshot, so
 * it changes nothing ({@code Timeline.applyTicket}).</li>
 * <li>{@code finished-backtests}, 30 days: results of backtests that are done or failed.</li>
 * <li>{@code rule-failures}, 30 days.</li>
 * <li>{@code health-turns}, 365 days: when accounts turned RED (situations rule quality counts).</li>
 * </ul>
 */
@ApplicationScoped
class EngineRetention implements RetentionRules {

    @Override
    public List<RetentionRule> rules() {
        return List.of(
                RetentionRule.olderThan("processed-events", "processed_event", "processed_at", Duration.ofDays(7)),
                RetentionRule.olderThan("finished-backtests", "backtest", "finished_at", Duration.ofDays(30))
                        .unless("status <> 'RUNNING'"),
                RetentionRule.olderThan("rule-failures", "rule_failure", "occurred_at", Duration.ofDays(30)),
                RetentionRule.olderThan("health-turns", "account_turned_red", "at", Duration.ofDays(365)));
    }
}
