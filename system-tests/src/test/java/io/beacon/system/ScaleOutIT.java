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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconTestInfra;

/**
 * Two packaged cta-engine instances in one consumer group share tickets.events; one is SIGKILLed
 * mid-stream. Its partitions must move to the other, every event must be processed exactly once,
 * and each account's events must still be processed in the order they were published. Then a third
 * instance joins and time passes: every account due is moved on by exactly one of the two instances,
 * once. Throughout, each account's CTA changes reach ctas.events in the order they were committed.
 */
class ScaleOutIT {

    private static final int ACCOUNTS = 60;
    private static final int TICKETS = 8;
    private static final int VERSIONS = 5;

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String group = "scale-" + run;
    private final Engines engines = new Engines(infra);
    /** The schedule looks every second, from a second after start, up to now (no lateness allowance). */
    private static final Map<String, String> SCHEDULE = Map.of("BEACON_ENGINE_REEVALUATE_EVERY", "1s",
            "BEACON_ENGINE_REEVALUATE_DELAY", "1s", "BEACON_ENGINE_EVENT_LATENESS", "0s");

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

            ServiceProcess a = engines.start("scale-a", db, group, SCHEDULE);
            ServiceProcess b = engines.start("scale-b", db, group, SCHEDULE);
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

            // Time passes with two instances running the schedule: a ticket per account leaves the
            // 24-hour window 20 s from now, a due instant for every account at the same moment.
            ServiceProcess c = engines.start("scale-c", db, group, SCHEDULE);
            Instant dueAt = Instant.now().plusSeconds(20);
            for (int acct = 0; acct < ACCOUNTS; acct++) {
                Instant now = Instant.now();
                producer.send(new ProducerRecord<>(Topics.TICKETS_EVENTS, account(acct), """
                        {"eventId":"scale-%s-late-%d","source":"api","type":"created","occurredAt":"%s","accountId":"%s",\
                        "ticket":{"id":"T-late","status":"open","priority":"normal","createdAt":"%s","updatedAt":"%s"}}"""
                        .formatted(run, acct, now, account(acct), dueAt.minus(Duration.ofHours(24)), now)));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> engines.count(db,
                    "SELECT count(*) FROM engine.processed_event WHERE event_id LIKE 'scale-" + run + "-late-%'") == ACCOUNTS);
            assertThat(Instant.now()).as("the late tickets were applied before they fell due").isBefore(dueAt);
            String dueBy = "SELECT account_id FROM engine.account_clock WHERE next_due_at <= '" + dueAt.plusSeconds(1) + "'";
            Set<String> due = new java.util.TreeSet<>(strings(db, dueBy));
            assertThat(due).as("our accounts are due").containsAll(IntStream.range(0, ACCOUNTS).mapToObj(this::account).toList());
            double scheduledBefore = scheduled(b) + scheduled(c);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> strings(db, dueBy).stream().noneMatch(acct -> acct.startsWith("scale-" + run + "-")));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                    .until(() -> scheduled(b) + scheduled(c) - scheduledBefore >= moved(due, strings(db, dueBy)));
            double movedOnB = scheduled(b);
            double movedOnC = scheduled(c);
            int moved = moved(due, strings(db, dueBy));
            assertThat(movedOnB + movedOnC - scheduledBefore).as("accounts moved on by the two instances' schedules, together")
                    .isEqualTo(moved);
            System.out.printf("ScaleOutIT: %d accounts due at one instant, moved on once each by two instances "
                    + "(totals so far: B %.0f, C %.0f)%n", moved, movedOnB, movedOnC);

            // Each account's CTA changes on ctas.events, copies dropped, in the order they were committed.
            Map<String, List<String>> committed = new HashMap<>();
            try (Connection conn = engines.connect(db); Statement st = conn.createStatement(); ResultSet r = st.executeQuery(
                    "SELECT record_key, event_id FROM engine.outbox_event WHERE record_key LIKE 'scale-" + run
                            + "-%' ORDER BY id")) {
                while (r.next()) {
                    committed.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
                }
            }
            assertThat(committed).as("accounts with CTA changes").hasSize(ACCOUNTS);
            Map<String, List<String>> onKafka = ctaEventIds(committed);
            assertThat(onKafka).as("per account, CTA changes on ctas.events in commit order").isEqualTo(committed);
            System.out.printf("ScaleOutIT: %d CTA changes over %d accounts reached ctas.events in commit order%n",
                    committed.values().stream().mapToInt(List::size).sum(), committed.size());
        }
    }

    /** Reads ctas.events from the start until each account has as many distinct records as it committed. */
    private Map<String, List<String>> ctaEventIds(Map<String, List<String>> committed) {
        Map<String, List<String>> seen = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "scale-reader-" + run);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.CTAS_EVENTS));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && committed.containsKey(r.key())) {
                        String id = new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
                        List<String> ids = seen.computeIfAbsent(r.key(), k -> new ArrayList<>());
                        if (!ids.contains(id)) {
                            ids.add(id);
                        }
                    }
                }
                return committed.entrySet().stream().allMatch(e -> seen.getOrDefault(e.getKey(), List.of()).size() >= e.getValue().size());
            });
        }
        return seen;
    }

    /** The engine's count of accounts its schedule moved on, from its Prometheus metrics. */
    private static double scheduled(ServiceProcess engine) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(engine.uri("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(l -> l.startsWith("beacon_engine_schedule_accounts_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** How many of the accounts that were due are due no longer. */
    private static int moved(Set<String> due, List<String> stillDue) {
        Set<String> moved = new java.util.HashSet<>(due);
        stillDue.forEach(moved::remove);
        return moved.size();
    }

    private List<String> strings(String db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = engines.connect(db); Statement st = conn.createStatement(); ResultSet r = st.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
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
