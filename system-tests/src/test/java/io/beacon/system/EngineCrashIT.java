package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconTestInfra;

/**
 * The engine's exactly-once effect and its batch-independence, tested the hard way: the packaged
 * cta-engine runs as its own process and is killed with SIGKILL at random moments while a stream of
 * ticket events flows in, consumed as it comes, then started again. Afterwards a second engine (own
 * database, own consumer group) that was not running while the stream was sent reads all of it as
 * one backlog, in big batches. Both must write the same CTA change history — every OPENED, UPDATED,
 * ESCALATED and CLOSED with its instant, priority and explanation, per account in order — and the
 * interrupted one must have published every change exactly once (a redelivery repeats the same
 * event id).
 * <p>
 * Tickets are opened, made more severe, solved and reopened, so support risk rises and falls within
 * what either engine consumes as one batch; some events arrive twice, some late with an older
 * version of their ticket.
 */
class EngineCrashIT {

    private static final int ACCOUNTS = 400;
    private static final int KILLS = 3;
    private static final String[] PRIORITIES = { "low", "normal", "high", "urgent" };

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final ObjectMapper json = new ObjectMapper();
    private final Engines engines = new Engines(infra);
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final Random random = new Random();

    @AfterEach
    void stopEngines() throws InterruptedException {
        engines.close();
    }

    @Test
    void anEngineKilledMidStreamEndsWithTheSameCtasAsAnUninterruptedOneAndPublishesEachChangeOnce() throws Exception {
        long seed = random.nextLong();
        System.out.printf("EngineCrashIT: run %s, stream seed %d%n", run, seed);
        List<ProducerRecord<String, String>> events = ticketStream(new Random(seed));
        String crashDb = engines.database("crash_" + run);
        String referenceDb = engines.database("reference_" + run);

        try (KafkaProducer<String, String> producer = producer(); Admin admin = admin()) {
            accountSnapshots().forEach(producer::send);
            producer.flush();

            // Interrupted run: events trickle in while the engine is killed and restarted.
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < events.size(); i++) {
                    producer.send(events.get(i));
                    if (i % 50 == 49) {
                        sleep(100);
                    }
                }
                producer.flush();
            }, "stream-publisher");
            String crashGroup = "crash-" + run;
            ServiceProcess engine = engines.start("crash-0", crashDb, crashGroup);
            publisher.start();
            int killsWithWorkPending = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(2500));
                killsWithWorkPending += behind(admin, crashGroup) ? 1 : 0;
                assertThat(engine.kill()).as("killed by SIGKILL").isEqualTo(137);
                engine = engines.start("crash-" + kill, crashDb, crashGroup);
            }
            publisher.join();
            System.out.printf("EngineCrashIT: %d events published, %d kills%n", events.size(), KILLS);
            awaitDone(admin, crashGroup, crashDb);
            System.out.println("EngineCrashIT: the killed engine caught up");
            assertThat(killsWithWorkPending).as("kills that hit the engine while it had events to process")
                    .isPositive();

            // Uninterrupted run over the same stream.
            engines.start("reference", referenceDb, "reference-" + run);
            awaitDone(admin, "reference-" + run, referenceDb);
            System.out.println("EngineCrashIT: the uninterrupted engine caught up");

            Map<String, List<String>> liveHistory = histories(crashDb);
            Map<String, List<String>> backlogHistory = histories(referenceDb);
            assertThat(backlogHistory.values().stream().flatMap(List::stream))
                    .as("the stream closes CTAs as well as opening them").anyMatch(c -> c.contains("\"kind\":\"CLOSED\""));
            Set<String> accounts = new TreeSet<>(liveHistory.keySet());
            accounts.addAll(backlogHistory.keySet());
            List<String> differing = accounts.stream()
                    .filter(a -> !Objects.equals(liveHistory.get(a), backlogHistory.get(a)))
                    .map(a -> a + ":\n  as it came " + liveHistory.get(a) + "\n  as a backlog " + backlogHistory.get(a))
                    .toList();
            System.out.printf("EngineCrashIT: %d accounts, %d CTA changes in each history%n", accounts.size(),
                    backlogHistory.values().stream().mapToInt(List::size).sum());
            assertThat(differing).as("accounts whose CTA history differs between the engine that consumed the "
                    + "stream as it came (and was killed) and the one that consumed it as a backlog").isEmpty();

            Map<String, Map<String, Object>> reference = ctas(referenceDb);
            Map<String, Map<String, Object>> crashed = ctas(crashDb);
            assertThat(backlogHistory).as("the stream raises CTAs for a good number of accounts")
                    .hasSizeGreaterThan(ACCOUNTS / 5);
            assertThat(reference.values()).as("some of them escalated").anyMatch(c -> Boolean.TRUE.equals(c.get("escalated")));
            Set<String> keys = new TreeSet<>(reference.keySet());
            keys.addAll(crashed.keySet());
            List<String> differences = keys.stream().filter(k -> !Objects.equals(reference.get(k), crashed.get(k)))
                    .map(k -> k + ": uninterrupted " + reference.get(k) + " | killed " + crashed.get(k)).toList();
            assertThat(differences).as("CTAs that differ between the uninterrupted and the killed engine").isEmpty();

            assertEveryChangePublishedOnce(crashDb);
        }
    }

    /** Every outbox entry of the interrupted run is on ctas.events (redeliveries identical), and nothing else is. */
    private void assertEveryChangePublishedOnce(String db) throws Exception {
        Map<String, Map<String, Object>> rows = ctaRowsById(db);
        Set<String> written = new TreeSet<>();
        try (Connection c = engines.connect(db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT event_id, published_at FROM engine.outbox_event WHERE topic = 'ctas.events'")) {
            while (r.next()) {
                written.add(r.getString(1));
                assertThat(r.getTimestamp(2)).as("outbox entry %s was published", r.getString(1)).isNotNull();
            }
        }
        Map<String, JsonNode> byEventId = new LinkedHashMap<>();
        Map<String, List<JsonNode>> byCta = new HashMap<>();
        int redeliveries = 0;
        for (ConsumerRecord<String, String> record : readAll(Topics.CTAS_EVENTS)) {
            JsonNode event = json.readTree(record.value());
            String ctaId = event.path("ctaId").asText();
            if (!rows.containsKey(ctaId)) {
                continue; // another run's CTA
            }
            JsonNode seen = byEventId.putIfAbsent(event.path("eventId").asText(), event);
            if (seen != null) {
                assertThat(event).as("a redelivered event is the same event").isEqualTo(seen);
                redeliveries++;
                continue;
            }
            byCta.computeIfAbsent(ctaId, k -> new ArrayList<>()).add(event);
        }
        System.out.printf("EngineCrashIT: %d CTA changes published, %d redelivered%n", byEventId.size(), redeliveries);
        assertThat(byEventId.keySet()).as("every change written to the outbox reached ctas.events, and nothing else")
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(byCta.keySet()).as("every CTA has its events").containsExactlyInAnyOrderElementsOf(rows.keySet());
        for (Map.Entry<String, List<JsonNode>> cta : byCta.entrySet()) {
            List<JsonNode> changes = cta.getValue();
            assertThat(changes.get(0).path("kind").asText()).isIn("OPENED", "ESCALATED");
            for (int i = 1; i < changes.size(); i++) {
                assertThat(content(changes.get(i))).as("change %d of CTA %s repeats the one before", i, cta.getKey())
                        .isNotEqualTo(content(changes.get(i - 1)));
            }
            JsonNode last = changes.get(changes.size() - 1);
            Map<String, Object> row = rows.get(cta.getKey());
            assertThat(last.path("priority").asText()).isEqualTo(row.get("priority"));
            assertThat(last.path("escalated").asBoolean()).isEqualTo(row.get("escalated"));
            assertThat(last.path("explanation")).isEqualTo(json.readTree((String) row.get("explanation")));
        }
    }

    private static JsonNode content(JsonNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove(List.of("eventId", "occurredAt"));
        return copy;
    }

    // ------------------------------------------------------------------ the stream

    private List<ProducerRecord<String, String>> accountSnapshots() {
        List<ProducerRecord<String, String>> snapshots = new ArrayList<>();
        int[] employees = { 40, 250, 1200, 5000 };
        String[] segments = { "MERCURY", "MARS", "VENUS", "JUPITER" };
        for (int a = 0; a < ACCOUNTS; a++) {
            String renewal = a % 5 == 0 ? ",\"renewalDate\":\"" + LocalDate.now().plusDays(30) + "\"" : "";
            snapshots.add(new ProducerRecord<>(Topics.ACCOUNTS_SNAPSHOTS, account(a), """
                    {"accountId":"%s","name":"Crash %d","employees":%d,"segment":"%s",
                     "csm":{"id":"csm-%d","name":"CSM","email":"c@example.com","team":"T"}%s,"version":1}
                    """.formatted(account(a), a, employees[a % 4], segments[a % 4], a % 7, renewal)));
        }
        return snapshots;
    }

    /**
     * Per account: 0..11 tickets, each opened and then updated a few times with a priority that only
     * goes up and an SLA breach that, once set, stays. Accounts are interleaved at random (keeping
     * each account's order); 4% of events are sent twice, 4% get a late copy of an older version.
     */
    private List<ProducerRecord<String, String>> ticketStream(Random r) {
        Instant created = Instant.now().minus(Duration.ofDays(10));
        // Event times about when they are sent: the engine evaluates in event time.
        Instant base = Instant.now();
        List<List<ProducerRecord<String, String>>> perAccount = new ArrayList<>();
        int sequence = 0;
        for (int a = 0; a < ACCOUNTS; a++) {
            List<ProducerRecord<String, String>> own = new ArrayList<>();
            int tickets = r.nextInt(12);
            for (int t = 0; t < tickets; t++) {
                int priority = r.nextInt(2);
                boolean breached = false;
                int versions = 1 + r.nextInt(6);
                String older = null;
                for (int v = 0; v < versions; v++) {
                    if (v > 0 && r.nextInt(3) == 0) {
                        priority = Math.min(3, priority + 1 + r.nextInt(2));
                    }
                    breached |= r.nextInt(25) == 0;
                    Instant updated = base.plusMillis(10L * sequence++);
                    String id = run + "-" + a + "-" + t + "-" + v;
                    String status = v > 0 && r.nextInt(4) == 0 ? "solved" : "open";
                    String event = event(id, a, t, v == 0 ? "created" : "updated", status, PRIORITIES[priority],
                            breached, created, updated);
                    own.add(new ProducerRecord<>(Topics.TICKETS_EVENTS, account(a), event));
                    if (r.nextInt(25) == 0) {
                        own.add(new ProducerRecord<>(Topics.TICKETS_EVENTS, account(a), event));
                    }
                    if (older != null && r.nextInt(25) == 0) {
                        own.add(new ProducerRecord<>(Topics.TICKETS_EVENTS, account(a), older.replace(
                                "\"eventId\":\"" + run, "\"eventId\":\"late-" + run)));
                    }
                    older = event;
                }
            }
            perAccount.add(own);
        }
        List<ProducerRecord<String, String>> stream = new ArrayList<>();
        int[] next = new int[ACCOUNTS];
        List<Integer> remaining = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            if (!perAccount.get(a).isEmpty()) {
                remaining.add(a);
            }
        }
        while (!remaining.isEmpty()) {
            int pick = r.nextInt(remaining.size());
            int a = remaining.get(pick);
            stream.add(perAccount.get(a).get(next[a]++));
            if (next[a] == perAccount.get(a).size()) {
                remaining.remove(pick);
            }
        }
        return stream;
    }

    private String event(String id, int account, int ticket, String type, String status, String priority,
            boolean breached, Instant created, Instant updated) {
        String sla = breached ? ",\"sla\":{\"breached\":true}" : "";
        return """
                {"eventId":"%s","source":"api","type":"%s","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"T-%d","status":"%s","priority":"%s","type":"incident","createdAt":"%s","updatedAt":"%s"%s}}
                """.formatted(id, type, updated, account(account), ticket, status, priority, created, updated, sla);
    }

    private String account(int a) {
        return "crash-" + run + "-" + a;
    }

    // ------------------------------------------------------------------ the engine process

    /** Waits until the group has committed every ticket event and snapshot, and the outbox has sent everything. */
    private void awaitDone(Admin admin, String group, String db) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> !behind(admin, group) && pendingOutbox(db) == 0);
    }

    /** @return whether the group has not yet committed everything on the ticket and account topics */
    private boolean behind(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> end = new HashMap<>(endOffsets(admin, Topics.TICKETS_EVENTS));
        end.putAll(endOffsets(admin, Topics.ACCOUNTS_SNAPSHOTS));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return end.entrySet().stream().anyMatch(e -> e.getValue() > 0
                && (committed.get(e.getKey()) == null || committed.get(e.getKey()).offset() < e.getValue()));
    }

    private Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private List<ConsumerRecord<String, String>> readAll(String topic) throws Exception {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-reader-" + UUID.randomUUID());
        try (Admin admin = admin(); KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), new StringDeserializer())) {
            Map<TopicPartition, Long> end = endOffsets(admin, topic);
            consumer.assign(end.keySet());
            consumer.seekToBeginning(end.keySet());
            Instant deadline = Instant.now().plusSeconds(60);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertThat(Instant.now()).as("reading %s to its end", topic).isBefore(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private KafkaProducer<String, String> producer() {
        return KafkaClients.producer(infra.bootstrapServers(), 5);
    }

    private Admin admin() {
        return KafkaClients.admin(infra.bootstrapServers());
    }

    // ------------------------------------------------------------------ databases

    private long pendingOutbox(String db) {
        try (Connection c = engines.connect(db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM engine.outbox_event WHERE published_at IS NULL")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1; // the schema is not there yet
        }
    }

    /**
     * Each account's CTA changes in the order the engine made them (the outbox's), every field but
     * the random ids: a CTA is named by the order it first appeared in.
     */
    private Map<String, List<String>> histories(String db) throws Exception {
        Map<String, List<String>> histories = new TreeMap<>();
        Map<String, Map<String, Integer>> ctaNumbers = new HashMap<>();
        try (Connection c = engines.connect(db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT record_key, payload FROM engine.outbox_event WHERE topic = 'ctas.events' ORDER BY id")) {
            while (r.next()) {
                ObjectNode change = (ObjectNode) json.readTree(r.getString(2));
                Map<String, Integer> numbers = ctaNumbers.computeIfAbsent(r.getString(1), k -> new HashMap<>());
                int number = numbers.computeIfAbsent(change.path("ctaId").asText(), k -> numbers.size() + 1);
                change.remove(List.of("eventId", "ctaId"));
                change.put("cta", number);
                histories.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(change.toString());
            }
        }
        return histories;
    }

    /** CTAs that are not closed, by (account, type, reason): what a CSM would see, without ids and times. */
    private Map<String, Map<String, Object>> ctas(String db) throws SQLException {
        Map<String, Map<String, Object>> ctas = new TreeMap<>();
        for (Map<String, Object> row : ctaRowsById(db).values()) {
            if ("CLOSED".equals(row.get("status"))) {
                continue;
            }
            String key = row.get("account_id") + "/" + row.get("type") + "/" + row.get("reason");
            Map<String, Object> view = new TreeMap<>(row);
            view.remove("id");
            assertThat(ctas.put(key, view)).as("one CTA per account, type and reason: %s", key).isNull();
        }
        return ctas;
    }

    private Map<String, Map<String, Object>> ctaRowsById(String db) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = engines.connect(db); Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT id, account_id, type, reason, status, priority, escalated, explanation, rule_name, owner_csm_id
                FROM engine.cta""")) {
            while (r.next()) {
                Map<String, Object> row = new HashMap<>();
                for (String column : List.of("id", "account_id", "type", "reason", "status", "priority", "explanation",
                        "rule_name", "owner_csm_id")) {
                    row.put(column, r.getString(column));
                }
                row.put("escalated", r.getBoolean("escalated"));
                rows.put(r.getString("id"), row);
            }
        }
        return rows;
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
