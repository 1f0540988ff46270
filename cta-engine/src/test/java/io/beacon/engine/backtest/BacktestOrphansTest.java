package io.beacon.engine.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.beacon.localstack.testing.BeaconInfraResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** A backtest whose instance died does not stay RUNNING; the backtest's consumer talks to the cluster as the service does. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class BacktestOrphansTest {

    @Inject
    BacktestService backtests;

    @Test
    void aBacktestNoInstanceSpeaksForIsMarkedFailedWithTheReason() {
        String silent = running(Instant.now().minus(Duration.ofMinutes(5)));
        String alive = running(Instant.now());

        int failed = QuarkusTransaction.requiringNew().call(
                () -> backtests.failOrphans(Instant.now().minus(BacktestService.ORPHANED_AFTER)));

        assertThat(failed).isGreaterThanOrEqualTo(1);
        Backtest orphan = backtests.find(silent).orElseThrow();
        assertThat(orphan.status).isEqualTo("FAILED");
        assertThat(orphan.error).contains("instance running it stopped").contains("start the backtest again");
        assertThat(orphan.finishedAt).isNotNull();
        assertThat(backtests.find(alive).orElseThrow().status).isEqualTo("RUNNING");
    }

    @Test
    void theReplayConsumerTakesTheApplicationsKafkaSecuritySettings() {
        Map<String, Object> props = BacktestService.consumerConfig(Map.of(
                "bootstrap.servers", "kafka-0:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "group.id", "cta-engine",
                "health-enabled", "true"));
        assertThat(props).containsEntry("bootstrap.servers", "kafka-0:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                .doesNotContainKeys("group.id", "health-enabled");
    }

    private String running(Instant heartbeat) {
        Backtest job = new Backtest();
        job.id = UUID.randomUUID().toString();
        // A version of its own: one backtest per version may be running at a time.
        job.ruleset = "orphans-" + job.id;
        job.version = 1;
        job.against = 1;
        job.windowFrom = Instant.now().minus(Duration.ofDays(1));
        job.windowTo = Instant.now();
        job.status = "RUNNING";
        job.requestedBy = "test";
        job.startedAt = heartbeat;
        job.heartbeatAt = heartbeat;
        QuarkusTransaction.requiringNew().run(job::persist);
        return job.id;
    }
}
