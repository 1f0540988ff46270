package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconTestInfra;

/**
 * Two packaged cta-engine instances in one consumer group share tickets.events; one is SIGKILLed
 * mid-stream. Its partitions must move to the other, every event must be processed exactly once,
 * and each account's events must still be processed in the order they were published.
 */
class ScaleOutIT {

    private static final int ACCOUNTS = 60;
    private static final int TICKETS = 8;
    private static final int VERSIONS = 5;

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String group = "scale-" + run;
    private final Engines engines = new Engines(infra);

    @AfterEach
    void stop() throws InterruptedException {
        engines.close();
    }

    @Test
    void killingOneOfTwoEnginesMovesItsPartitionsToTheOtherWithoutLossAndInOrder() throws Exception {
        String db = engines.database("scale_" + run);
        List<ProducerRecord<String, String>> events = stream();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(infra.bootstrapServers(), 5);
                Admin admin = KafkaClients.admin(infra.bootstrapServers())) {
            for (int a = 0; a < ACCOUNTS; a++) {
                producer.send(new ProducerRecord<>(Topics.ACCOUNTS_SNAPSHOTS, account(a), """
                        {"accountId":"%s","name":"Scale %d","employees":5000,"segment":"JUPITER",
                         "csm":{"id":"csm-%d","name":"CSM","email":"c@example.com","team":"T"},"version":1}
                        """.formatted(account(a), a, a % 5)));
            }
            producer.flush();

            ServiceProcess a = engines.start("scale-a", db, group);
            engines.start("scale-b", db, group);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> owners(admin).size() == 2);
            Map<String, Set<Integer>> before = owners(admin);
            System.out.printf("ScaleOutIT: partitions of tickets.events before: %s%n", before.values());
            assertThat(before.values()).allMatch(p -> !p.isEmpty());

            // Publish at ~300 events/s; kill engine A a third of the way in.
            Instant killedAt = null;
            for (int i = 0; i < events.size(); i++) {
                producer.send(events.get(i));
                if (i % 30 == 29) {
                    producer.flush();
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                if (i == events.size() / 3) {
                    assertThat(a.kill()).as("killed by SIGKILL").isEqualTo(137);
                    killedAt = Instant.now();
                }
            }
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> owners(admin).size() == 1 && owners(admin).values().iterator().next().size() == Topics.EVENT_PARTITIONS);
            long takeover = Duration.between(killedAt, Instant.now()).toMillis();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> caughtUp(admin));

            // Exactly once: every published event id once in processed_event, no extra rows.
            Map<String, List<String>> processedOrder = processedInOrder(db);
            int processed = processedOrder.values().stream().mapToInt(List::size).sum();
            assertThat(processed).as("events processed").isEqualTo(events.size());
            // Per-account order: each account's events were processed in the order published.
            Map<String, List<String>> published = new HashMap<>();
            for (ProducerRecord<String, String> e : events) {
                published.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(eventId(e.value()));
            }
            List<String> outOfOrder = published.keySet().stream()
                    .filter(acct -> !published.get(acct).equals(processedOrder.get(acct))).toList();
            assertThat(outOfOrder).as("accounts whose events were processed out of order").isEmpty();
            // And the outcome: every account has its 8 open tickets and one support-risk CTA.
            assertThat(engines.count(db, "SELECT count(*) FROM engine.ticket WHERE account_id LIKE 'scale-" + run + "-%'"))
                    .isEqualTo(ACCOUNTS * TICKETS);
            assertThat(engines.count(db, "SELECT count(*) FROM engine.cta WHERE reason = 'support-risk' AND status = 'OPEN' "
                    + "AND account_id LIKE 'scale-" + run + "-%'")).isEqualTo(ACCOUNTS);
            System.out.printf("ScaleOutIT: %d events over %d accounts; engine A killed after %d; engine B owned all %d "
                    + "partitions %d ms later; %d processed once each, 0 lost, 0 out of order%n", events.size(), ACCOUNTS,
                    events.size() / 3 + 1, Topics.EVENT_PARTITIONS, takeover, processed);
        }
    }

    /** Per account, the event ids in the order the engine stored them (its processed_event insert order). */
    private Map<String, List<String>> processedInOrder(String db) throws SQLException {
        Map<String, List<String>> order = new HashMap<>();
        try (Connection c = engines.connect(db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT account_id, event_id FROM engine.processed_event WHERE account_id LIKE 'scale-" + run
                        + "-%' ORDER BY processed_at, xmin::text::bigint, ctid")) {
            while (r.next()) {
                order.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
            }
        }
        return order;
    }

    private Map<String, Set<Integer>> owners(Admin admin) throws Exception {
        return Engines.ticketPartitionsByMember(admin, group);
    }

    private boolean caughtUp(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < Topics.EVENT_PARTITIONS; p++) {
            latest.put(new TopicPartition(Topics.TICKETS_EVENTS, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue().offset()));
    }

    /** Per account: 8 tickets, 5 versions each, published account by account interleaved round-robin. */
    private List<ProducerRecord<String, String>> stream() {
        List<ProducerRecord<String, String>> events = new ArrayList<>();
        Instant base = Instant.now().minus(Duration.ofHours(1));
        int serial = 0;
        for (int v = 0; v < VERSIONS; v++) {
            for (int t = 0; t < TICKETS; t++) {
                for (int a = 0; a < ACCOUNTS; a++) {
                    Instant at = base.plusSeconds((long) v * 100 + t);
                    String id = "scale-" + run + "-e" + (++serial);
                    events.add(new ProducerRecord<>(Topics.TICKETS_EVENTS, account(a), """
                            {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",\
                            "ticket":{"id":"T%d","status":"open","priority":"normal","createdAt":"%s","updatedAt":"%s"}}"""
                            .formatted(id, at, account(a), t, base, at)));
                }
            }
        }
        return events;
    }

    private static String eventId(String json) {
        int start = json.indexOf("\"eventId\":\"") + 11;
        return json.substring(start, json.indexOf('"', start));
    }

    private String account(int a) {
        return "scale-" + run + "-" + a;
    }

}
