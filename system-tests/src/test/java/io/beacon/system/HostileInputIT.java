package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;

/**
 * Beacon tried the way an outsider would: records written straight onto its topics by a producer
 * that bypasses ingest, bad HTTP input against all four services, and rule drafts that try to run
 * code. Every good input must go through, every hostile one must be refused precisely (a 4xx naming
 * the problem, or a dead-letter record with the reason), nothing may answer 5xx, no rule code may
 * run, and every service must stay healthy with its consumer lag back at zero. The table printed at
 * the end is the one in the README's reliability section.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CASE = "hostile-case";
    private static final Map<String, int[]> REPORT = Collections.synchronizedMap(new TreeMap<>());

    private static Path state;
    private static StackRunner stack;
    private static DevTokens tokens;
    /** HTTP/1.1, as browsers and curl speak to a plain-http server. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startStack() throws Exception {
        state = Files.createTempDirectory("beacon-hostile");
        stack = new StackRunner(state, Map.of("BEACON_SEED_HISTORY", "false"));
        stack.start();
        tokens = new DevTokens(DevKeys.load(state.resolve("keys")));
    }

    @AfterAll
    static void report() throws Exception {
        if (stack != null) {
            stack.close();
        }
        StringBuilder table = new StringBuilder(
                "| input class | tried | refused precisely | executed | 5xx | good inputs lost |\n|---|---|---|---|---|---|\n");
        REPORT.forEach((name, r) -> table.append("| %s | %d | %d | %d | %d | %d |%n".formatted(name, r[0], r[1], r[2],
                r[3], r[4])));
        System.out.println("HostileInputIT:\n" + table);
        Path out = Path.of(System.getProperty("beacon.home", "..")).resolve("system-tests/target/hostile-input.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
    }

    // ------------------------------------------------------------------ (a) records straight onto Kafka

    @Test
    void hostileRecordsOnEveryTopicAreDeadLetteredWithAReasonWhileGoodOnesFlow() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String account = "acct-hostile-" + run;
        String csm = "csm-hostile-" + run;
        Instant now = Instant.now().minusSeconds(60);

        Map<String, ProducerRecord<String, byte[]>> tickets = new LinkedHashMap<>();
        String good = ticket("x", account, "T-x", now, "normal", "");
        tickets.put("NUL in a string", record(Topics.TICKETS_EVENTS, account,
                ticket("h1-" + run, account, "H-1", now, "normal", "\"subject\":\"a\\u0000b\",")));
        tickets.put("unpaired surrogate", record(Topics.TICKETS_EVENTS, account,
                ticket("h2-" + run, account, "H-2", now, "normal", "\"subject\":\"a\\ud800b\",")));
        tickets.put("invalid UTF-8 bytes", new ProducerRecord<>(Topics.TICKETS_EVENTS, account,
                withInvalidUtf8(ticket("h3-" + run, account, "H-3", now, "normal", "\"subject\":\"INVALID\","))));
        tickets.put("megabyte string", record(Topics.TICKETS_EVENTS, account, ticket("h4-" + run, account, "H-4", now,
                "normal", "\"subject\":\"" + "x".repeat(1_000_000) + "\",")));
        tickets.put("year -5000", record(Topics.TICKETS_EVENTS, account,
                ticket("h5-" + run, account, "H-5", Instant.parse("-5000-01-01T00:00:00Z"), "normal", "")));
        tickets.put("year 99999", record(Topics.TICKETS_EVENTS, account,
                ticket("h6-" + run, account, "H-6", Instant.parse("+99999-01-01T00:00:00Z"), "normal", "")));
        tickets.put("numeric overflow", record(Topics.TICKETS_EVENTS, account, ticket("h7-" + run, account, "H-7", now,
                "normal", "\"sla\":{\"breached\":false,\"firstReplyDueAt\":1e400},")));
        tickets.put("100k-character id", record(Topics.TICKETS_EVENTS, account,
                ticket("h8-" + run, account, "x".repeat(100_000), now, "normal", "")));
        tickets.put("10,000 tags", record(Topics.TICKETS_EVENTS, account, ticket("h9-" + run, account, "H-9", now,
                "normal", "\"tags\":[" + String.join(",", Collections.nCopies(10_000, "\"t\"")) + "],")));
        tickets.put("deep nesting", record(Topics.TICKETS_EVENTS, account, ticket("h10-" + run, account, "H-10", now,
                "normal", "\"extra\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",")));
        tickets.put("null key", record(Topics.TICKETS_EVENTS, null, ticket("h11-" + run, account, "H-11", now, "normal", "")));
        tickets.put("key disagrees with accountId", record(Topics.TICKETS_EVENTS, "acct-someone-else-" + run,
                ticket("h12-" + run, account, "H-12", now, "normal", "")));
        tickets.put("not JSON", record(Topics.TICKETS_EVENTS, account, "\u0001\u0002 garbage {"));
        tickets.put("JSON followed by garbage", record(Topics.TICKETS_EVENTS, account,
                ticket("h14-" + run, account, "H-14", now, "normal", "") + " }{ trailing"));
        tickets.put("empty value", record(Topics.TICKETS_EVENTS, account, ""));
        tickets.put("a JSON array", record(Topics.TICKETS_EVENTS, account, "[" + good + "]"));

        Map<String, ProducerRecord<String, byte[]>> snapshots = new LinkedHashMap<>();
        snapshots.put("NUL in a string", record(Topics.ACCOUNTS_SNAPSHOTS, account, snapshot(account, csm, "Bad\\u0000Co", "", 1)));
        snapshots.put("year -5000", record(Topics.ACCOUNTS_SNAPSHOTS, account,
                snapshot(account, csm, "Old Co", "\"renewalDate\":\"-5000-01-01\",", 1)));
        snapshots.put("numeric overflow", record(Topics.ACCOUNTS_SNAPSHOTS, account,
                snapshot(account, csm, "Rich Co", "\"arr\":1e20,", 1)));
        snapshots.put("100k-character id", record(Topics.ACCOUNTS_SNAPSHOTS, account,
                snapshot(account, "c".repeat(100_000), "Long Co", "", 1)));
        snapshots.put("key disagrees with accountId", record(Topics.ACCOUNTS_SNAPSHOTS, "acct-someone-else-" + run,
                snapshot(account, csm, "Other Co", "", 1)));
        snapshots.put("invalid UTF-8 bytes", new ProducerRecord<>(Topics.ACCOUNTS_SNAPSHOTS, account,
                withInvalidUtf8(snapshot(account, csm, "INVALID", "", 1))));
        snapshots.put("not JSON", record(Topics.ACCOUNTS_SNAPSHOTS, account, "not a snapshot"));

        Map<String, ProducerRecord<String, byte[]>> ctas = new LinkedHashMap<>();
        ctas.put("NUL in a string", record(Topics.CTAS_EVENTS, account, cta("c1-" + run, account, csm, "risk\\u0000", "")));
        ctas.put("year -5000", record(Topics.CTAS_EVENTS, account,
                cta("c2-" + run, account, csm, "support-risk", "\"dueAt\":\"-5000-01-01T00:00:00Z\",")));
        ctas.put("100k-character id", record(Topics.CTAS_EVENTS, account,
                cta("c3-" + run, account, csm, "x".repeat(100_000), "")));
        ctas.put("key disagrees with accountId", record(Topics.CTAS_EVENTS, "acct-someone-else-" + run,
                cta("c4-" + run, account, csm, "support-risk", "")));
        ctas.put("not JSON", record(Topics.CTAS_EVENTS, account, "{{{"));
        ctas.put("deep nesting", record(Topics.CTAS_EVENTS, account,
                cta("c6-" + run, account, csm, "support-risk", "\"extra\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",")));

        // Commands as if from a chat button, written by someone else than notification-service.
        Map<String, ProducerRecord<String, byte[]>> commands = new LinkedHashMap<>();
        String until = Instant.now().plus(Duration.ofDays(3)).toString();
        commands.put("NUL in the actor", record(Topics.CTAS_COMMANDS, "cta-k1-" + run,
                command("k1-" + run, "cta-k1-" + run, "SNOOZE", until, "csm\\u0000x")));
        commands.put("not JSON", record(Topics.CTAS_COMMANDS, "cta-k2-" + run, "{{{"));
        commands.put("key disagrees with ctaId", record(Topics.CTAS_COMMANDS, "cta-other-" + run,
                command("k3-" + run, "cta-k3-" + run, "CLOSE_NOT_RELEVANT", null, csm)));
        commands.put("snooze without until", record(Topics.CTAS_COMMANDS, "cta-k4-" + run,
                command("k4-" + run, "cta-k4-" + run, "SNOOZE", null, csm)));
        commands.put("unknown action", record(Topics.CTAS_COMMANDS, "cta-k5-" + run,
                command("k5-" + run, "cta-k5-" + run, "DELETE_EVERYTHING", null, csm)));
        commands.put("a CTA that does not exist", record(Topics.CTAS_COMMANDS, "cta-k6-" + run,
                command("k6-" + run, "cta-k6-" + run, "CLOSE_DONE", null, csm)));

        String bootstrap = "localhost:" + (9092 + stack.offset());
        List<String> goodTickets = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = bytesProducer(bootstrap)) {
            // Hostile and good records alternate on the account's own partition: each good one must be
            // processed although hostile ones sit before it.
            int i = 0;
            for (Map.Entry<String, ProducerRecord<String, byte[]>> hostile : tickets.entrySet()) {
                send(producer, hostile.getKey(), hostile.getValue());
                String id = "G-" + i++;
                goodTickets.add(id);
                send(producer, null, record(Topics.TICKETS_EVENTS, account,
                        ticket("good-" + id + "-" + run, account, id, now, "normal", "")));
            }
            // A good record with garbage in its CloudEvents headers is still a good record.
            ProducerRecord<String, byte[]> garbled = record(Topics.TICKETS_EVENTS, account,
                    ticket("good-garbled-" + run, account, "G-garbled", now, "normal", ""));
            garbled.headers().add(CloudEventHeaders.TIME, new byte[] { (byte) 0xFF, 0, (byte) 0xFE });
            garbled.headers().add(CloudEventHeaders.ID, "\u0000".repeat(2_000).getBytes(StandardCharsets.UTF_8));
            send(producer, null, garbled);
            goodTickets.add("G-garbled");

            for (Map.Entry<String, ProducerRecord<String, byte[]>> hostile : snapshots.entrySet()) {
                send(producer, hostile.getKey(), hostile.getValue());
            }
            for (Map.Entry<String, ProducerRecord<String, byte[]>> hostile : ctas.entrySet()) {
                send(producer, hostile.getKey(), hostile.getValue());
            }
            for (Map.Entry<String, ProducerRecord<String, byte[]>> hostile : commands.entrySet()) {
                send(producer, hostile.getKey(), hostile.getValue());
            }
            // The good snapshot (a VENUS account) and an urgent ticket: the engine escalates, and the
            // escalation reaches the CSM's inbox through ctas.events, behind the hostile CTA events.
            send(producer, null, record(Topics.ACCOUNTS_SNAPSHOTS, account, snapshot(account, csm, "Venus Co", "", 2)));
            send(producer, null, record(Topics.TICKETS_EVENTS, account,
                    ticket("urgent-" + run, account, "U-1", now.plusSeconds(1), "urgent", "")));
            producer.flush();
        }

        String exec = tokens.issue(Roles.EXEC, "exec-hostile");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode stored = JSON.readTree(get(8083, "/api/v1/accounts/" + account + "/tickets", exec).body());
            Set<String> ids = new java.util.HashSet<>();
            stored.forEach(t -> ids.add(t.path("ticketId").asText()));
            assertThat(ids).containsAll(goodTickets);
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(get(8083, "/api/v1/ctas?accountId=" + account, exec).body()).contains("urgent-ticket"));
        String mine = tokens.issue(Roles.CSM, csm);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(get(8084, "/api/v1/inbox", mine).body()).contains(account));

        record("tickets.events: records a third-party producer wrote", tickets.keySet(),
                deadLetters(bootstrap, Topics.TICKETS_EVENTS_DLQ), goodTickets.size() - storedCount(account, exec, goodTickets));
        record("accounts.snapshots: records a third-party producer wrote", snapshots.keySet(),
                deadLetters(bootstrap, Topics.ACCOUNTS_SNAPSHOTS_DLQ), 0);
        record("ctas.events: records a third-party producer wrote", ctas.keySet(),
                deadLetters(bootstrap, Topics.CTAS_EVENTS_DLQ), 0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                deadLetters(bootstrap, Topics.CTAS_COMMANDS_DLQ).keySet().containsAll(commands.keySet()));
        record("ctas.commands: records a third-party producer wrote", commands.keySet(),
                deadLetters(bootstrap, Topics.CTAS_COMMANDS_DLQ), 0);

        try (Admin admin = KafkaClients.admin(bootstrap)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                assertThat(KafkaClients.lag(admin, "cta-engine", Topics.TICKETS_EVENTS)).as("engine lag on tickets").isZero();
                assertThat(KafkaClients.lag(admin, "cta-engine", Topics.ACCOUNTS_SNAPSHOTS)).as("engine lag on snapshots").isZero();
                assertThat(KafkaClients.lag(admin, "notification-service", Topics.CTAS_EVENTS)).as("notify lag on CTAs").isZero();
                assertThat(KafkaClients.lag(admin, "notification-service", Topics.ACCOUNTS_SNAPSHOTS)).as("notify lag").isZero();
                assertThat(KafkaClients.lag(admin, "cta-engine", Topics.CTAS_COMMANDS)).as("engine lag on commands").isZero();
            });
        }
        assertAllHealthy();
    }

    private void record(String row, Set<String> cases, Map<String, String> deadLetters, int goodLost) {
        Set<String> missing = new java.util.TreeSet<>(cases);
        missing.removeAll(deadLetters.keySet());
        assertThat(missing).as(row + ": hostile records not on the dead-letter topic").isEmpty();
        long withReason = cases.stream().filter(c -> !deadLetters.get(c).isBlank()).count();
        assertThat(withReason).as(row + ": dead letters with a reason").isEqualTo(cases.size());
        assertThat(goodLost).as(row + ": good records lost").isZero();
        REPORT.put(row, new int[] { cases.size(), (int) withReason, 0, 0, goodLost });
    }

    private int storedCount(String account, String token, List<String> ids) throws Exception {
        String body = get(8083, "/api/v1/accounts/" + account + "/tickets", token).body();
        return (int) ids.stream().filter(id -> body.contains("\"" + id + "\"")).count();
    }

    /** case name to reason, for every record on the dead-letter topic that carries a case header. */
    private static Map<String, String> deadLetters(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "hostile-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        Map<String, String> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant until = Instant.now().plusSeconds(20);
            int emptyPolls = 0;
            while (Instant.now().isBefore(until) && emptyPolls < 5) {
                var records = consumer.poll(Duration.ofSeconds(1));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : records) {
                    Header name = r.headers().lastHeader(CASE);
                    Header reason = r.headers().lastHeader(CloudEventHeaders.DLQ_REASON);
                    if (name != null) {
                        found.put(new String(name.value(), StandardCharsets.UTF_8),
                                reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return found;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String caseName,
            ProducerRecord<String, byte[]> record) throws Exception {
        if (caseName != null) {
            record.headers().add(CASE, caseName.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
    }

    private static KafkaProducer<String, byte[]> bytesProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_040_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<String, byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withInvalidUtf8(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("INVALID", "in\u00C3\u0028valid");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String ticket(String eventId, String account, String ticketId, Instant updatedAt, String priority,
            String extra) {
        return """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",
                 "ticket":{%s"id":"%s","status":"open","priority":"%s","updatedAt":"%s"}}"""
                .formatted(eventId, Instant.now().minusSeconds(30), account, extra, ticketId, priority, updatedAt);
    }

    private static String snapshot(String account, String csm, String name, String extra, long version) {
        return """
                {"accountId":"%s","name":"%s","employees":500,"segment":"VENUS",%s
                 "csm":{"id":"%s","name":"Hostile CSM","email":"hostile@example.com","team":"Venus-1"},"version":%d}"""
                .formatted(account, name, extra, csm, version);
    }

    private static String cta(String eventId, String account, String csm, String reason, String extra) {
        return """
                {"eventId":"%s","ctaId":"cta-%s","kind":"OPENED","accountId":"%s","type":"RISK","reason":"%s",%s
                 "priority":"HIGH","escalated":false,"ownerCsmId":"%s","occurredAt":"%s"}"""
                .formatted(eventId, eventId, account, reason, extra, csm, Instant.now());
    }

    private static String command(String id, String cta, String action, String until, String actor) {
        return """
                {"commandId":"%s","ctaId":"%s","action":"%s",%s"actor":"%s","via":"slack"}"""
                .formatted(id, cta, action, until == null ? "" : "\"until\":\"" + until + "\",", actor);
    }

    // ------------------------------------------------------------------ (b) bad HTTP input

    private record Call(String service, String name, int port, String method, String path, String contentType,
            byte[] body, String role, String mention) {
    }

    @Test
    void badHttpInputGetsAProblemNamingWhatIsWrongFromEveryServiceAndNever5xx() throws Exception {
        Instant now = Instant.now().minusSeconds(60);
        String event = ticket("http-1", "acct-http", "T-1", now, "normal", "");
        String account = """
                {"id":"acct-http-%s","name":"%s","employees":50%s}""";
        List<Call> calls = new ArrayList<>();
        calls.add(json("ticket-ingest", "malformed JSON", 8081, "POST", "/api/v1/ticket-events", "{\"eventId\":", Roles.INGEST, "line 1, column"));
        calls.add(json("ticket-ingest", "JSON followed by garbage", 8081, "POST", "/api/v1/ticket-events", event + " }{", Roles.INGEST, "not valid JSON at line"));
        calls.add(new Call("ticket-ingest", "invalid UTF-8", 8081, "POST", "/api/v1/ticket-events", "application/json",
                withInvalidUtf8(ticket("http-2", "acct-http", "T-2", now, "normal", "\"subject\":\"INVALID\",")), Roles.INGEST, "UTF-8"));
        calls.add(json("ticket-ingest", "NUL in a string", 8081, "POST", "/api/v1/ticket-events",
                ticket("http-3", "acct-http", "T-3", now, "normal", "\"subject\":\"a\\u0000\","), Roles.INGEST, "ticket.subject"));
        calls.add(json("ticket-ingest", "unpaired surrogate", 8081, "POST", "/api/v1/ticket-events",
                ticket("http-4", "acct-http", "T-4", now, "normal", "\"subject\":\"\\udc00\","), Roles.INGEST, "ticket.subject"));
        calls.add(json("ticket-ingest", "year -5000", 8081, "POST", "/api/v1/ticket-events",
                ticket("http-5", "acct-http", "T-5", Instant.parse("-5000-01-01T00:00:00Z"), "normal", ""), Roles.INGEST, "ticket.updatedAt"));
        calls.add(json("ticket-ingest", "over-long id", 8081, "POST", "/api/v1/ticket-events",
                ticket("http-6", "acct-http", "x".repeat(100_000), now, "normal", ""), Roles.INGEST, "ticket.id"));
        calls.add(json("ticket-ingest", "10,000 tags", 8081, "POST", "/api/v1/ticket-events", ticket("http-7", "acct-http", "T-7",
                now, "normal", "\"tags\":[" + String.join(",", Collections.nCopies(10_000, "\"t\"")) + "],"), Roles.INGEST, "ticket.tags"));
        calls.add(json("ticket-ingest", "numeric overflow", 8081, "POST", "/api/v1/ticket-events",
                event.replaceFirst("\"occurredAt\":\"[^\"]*\"", "\"occurredAt\":1e400"), Roles.INGEST, "occurredAt"));
        calls.add(json("ticket-ingest", "deep nesting", 8081, "POST", "/api/v1/ticket-events",
                "[".repeat(20_000) + "]".repeat(20_000), Roles.INGEST, "depth"));
        calls.add(new Call("ticket-ingest", "no Content-Type", 8081, "POST", "/api/v1/ticket-events", null,
                event.getBytes(StandardCharsets.UTF_8), Roles.INGEST, "Content-Type"));
        calls.add(new Call("ticket-ingest", "wrong Content-Type", 8081, "POST", "/api/v1/ticket-events", "text/plain",
                event.getBytes(StandardCharsets.UTF_8), Roles.INGEST, "application/json"));
        calls.add(json("account-service", "NUL in a string", 8082, "POST", "/api/v1/accounts",
                account.formatted(1, "Bad\\u0000Co", ""), Roles.ADMIN, "name"));
        calls.add(json("account-service", "malformed JSON", 8082, "POST", "/api/v1/accounts", "{\"id\":", Roles.ADMIN, "line 1, column"));
        calls.add(json("account-service", "year -5000", 8082, "POST", "/api/v1/accounts",
                account.formatted(2, "Old Co", ",\"renewalDate\":\"-5000-01-01\""), Roles.ADMIN, "renewalDate"));
        calls.add(json("account-service", "numeric overflow", 8082, "POST", "/api/v1/accounts",
                account.formatted(3, "Rich Co", ",\"arr\":1e20"), Roles.ADMIN, "arr"));
        calls.add(json("account-service", "wrong type", 8082, "POST", "/api/v1/accounts",
                "{\"id\":\"acct-http-4\",\"name\":\"Co\",\"employees\":\"many\"}", Roles.ADMIN, "employees"));
        calls.add(new Call("account-service", "no Content-Type", 8082, "POST", "/api/v1/accounts", null,
                account.formatted(5, "Co", "").getBytes(StandardCharsets.UTF_8), Roles.ADMIN, "Content-Type"));
        calls.add(get("account-service", "bad number parameter", 8082, "/api/v1/accounts?size=abc", Roles.EXEC, "size"));
        calls.add(get("account-service", "bad enum parameter", 8082, "/api/v1/accounts?segment=BOGUS", Roles.EXEC, "segment"));
        calls.add(new Call("account-service", "CSV with broken quoting", 8082, "POST", "/api/v1/accounts/import", "text/csv",
                "id,name,employees\nacct-q,\"Broken\"Co,10\n".getBytes(StandardCharsets.UTF_8), Roles.ADMIN, "quote"));
        calls.add(new Call("account-service", "CSV with invalid UTF-8", 8082, "POST", "/api/v1/accounts/import", "text/csv",
                withInvalidUtf8("id,name,employees\nacct-u,INVALID,10\n"), Roles.ADMIN, "UTF-8"));
        calls.add(get("cta-engine", "bad enum parameter", 8083, "/api/v1/ctas?status=BOGUS", Roles.EXEC, "status"));
        calls.add(get("cta-engine", "bad boolean parameter", 8083, "/api/v1/ctas?escalated=maybe", Roles.EXEC, "escalated"));
        calls.add(get("cta-engine", "bad number parameter", 8083, "/api/v1/ctas?size=abc", Roles.EXEC, "size"));
        calls.add(get("cta-engine", "page too large", 8083, "/api/v1/ctas?size=100000", Roles.EXEC, "size"));
        calls.add(json("cta-engine", "malformed JSON", 8083, "POST", "/api/v1/ctas/cta-x/snooze", "{\"until\":", Roles.CSM, "line 1, column"));
        calls.add(json("cta-engine", "malformed JSON in a draft", 8083, "POST", "/api/v1/rulesets/default/versions", "{\"files\":{",
                Roles.RULES_ADMIN, "line 1, column"));
        calls.add(get("cta-engine", "URL too long", 8083, "/api/v1/ctas?accountId=" + "a".repeat(20_000), Roles.EXEC, "8192"));
        calls.add(get("notification-service", "bad number parameter", 8084, "/api/v1/inbox?limit=abc", Roles.CSM, "limit"));
        calls.add(json("cta-engine", "NUL in a manual CTA's reason", 8083, "POST", "/api/v1/ctas",
                "{\"accountId\":\"acct-http\",\"type\":\"RISK\",\"reason\":\"champion\\u0000left\",\"priority\":\"HIGH\"}",
                Roles.CSM, "reason"));
        calls.add(json("cta-engine", "unpaired surrogate in a note", 8083, "POST", "/api/v1/ctas/cta-x/notes",
                "{\"body\":\"call back \\udc00\"}", Roles.CSM, "body"));
        calls.add(json("ticket-ingest", "NUL in a Freshdesk subject", 8081, "POST", "/api/v1/webhooks/freshdesk",
                "{\"freshdesk_webhook\":{\"ticket_id\":\"1\",\"ticket_status\":\"Open\",\"ticket_company_id\":\"480\","
                        + "\"ticket_subject\":\"a\\u0000b\"}}", Roles.INGEST, "ticket.subject"));
        calls.add(json("ticket-ingest", "malformed Freshdesk JSON", 8081, "POST", "/api/v1/webhooks/freshdesk",
                "{\"freshdesk_webhook\":{", Roles.INGEST, "line 1, column"));
        calls.add(json("ticket-ingest", "unsigned JSM webhook", 8081, "POST", "/api/v1/webhooks/jsm",
                "{\"webhookEvent\":\"jira:issue_created\"}", Roles.CSM, "X-Hub-Signature"));
        calls.add(new Call("notification-service", "unsigned Slack click", 8084, "POST", "/api/v1/slack/interactions",
                "application/x-www-form-urlencoded", "payload=%7B%7D".getBytes(StandardCharsets.UTF_8), Roles.CSM,
                "Slack signature"));
        calls.add(get("notification-service", "NUL in a time zone", 8084, "/api/v1/weekly-summary?timeZone=Europe%2FBerlin%00",
                Roles.EXEC, "timeZone"));
        calls.add(get("notification-service", "bad boolean parameter", 8084, "/api/v1/inbox?unread=maybe", Roles.CSM, "unread"));
        calls.add(get("notification-service", "bad enum parameter", 8084, "/api/v1/deliveries?status=BOGUS", Roles.ADMIN, "status"));
        calls.add(json("notification-service", "malformed JSON", 8084, "PUT", "/api/v1/preferences", "{\"channels\":", Roles.CSM,
                "line 1, column"));
        calls.add(get("notification-service", "URL too long", 8084, "/api/v1/inbox?x=" + "a".repeat(20_000), Roles.CSM, "8192"));

        Map<String, int[]> byService = new TreeMap<>();
        List<String> imprecise = new ArrayList<>();
        for (Call call : calls) {
            HttpResponse<String> response = send(call);
            int[] row = byService.computeIfAbsent(call.service(), s -> new int[5]);
            row[0]++;
            boolean problem = response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
            if (response.statusCode() >= 500) {
                row[3]++;
                imprecise.add(call.service() + " " + call.name() + ": " + response.statusCode() + " " + response.body());
            } else if (response.statusCode() >= 400 && problem && response.body().contains(call.mention())) {
                row[1]++;
            } else {
                imprecise.add(call.service() + " " + call.name() + ": " + response.statusCode() + " "
                        + response.body().substring(0, Math.min(300, response.body().length())));
            }
        }
        byService.forEach((service, row) -> REPORT.put("HTTP: bad input to " + service, row));
        assertThat(imprecise).as("answers that were 5xx or did not name the problem").isEmpty();
        assertAllHealthy();
    }

    @Test
    void theApisTakeOnlyBearerTokensAndTheConsoleRefusesChangesWithoutItsCsrfProof() throws Exception {
        // A valid token in a cookie authenticates nothing: browsers attach cookies to forged requests,
        // never Authorization headers. The same token as a bearer is accepted (the control).
        record Call(int port, String path, String role) {
        }
        List<Call> calls = List.of(new Call(8081, "/api/v1/rejections", Roles.ADMIN),
                new Call(8082, "/api/v1/accounts", Roles.EXEC), new Call(8083, "/api/v1/ctas", Roles.EXEC),
                new Call(8084, "/api/v1/inbox", Roles.CSM));
        for (Call call : calls) {
            String token = tokens.issue(call.role(), "cookie-" + call.role());
            HttpResponse<String> byCookie = http.send(HttpRequest.newBuilder(stack.uri(call.port(), call.path()))
                    .header("Cookie", "beacon_token=" + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(byCookie.statusCode()).as(call.path() + " with the token in a cookie").isEqualTo(401);
            HttpResponse<String> byBearer = http.send(HttpRequest.newBuilder(stack.uri(call.port(), call.path()))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(byBearer.statusCode()).as(call.path() + " with the token as a bearer").isEqualTo(200);
        }
        // The console holds sessions in cookies, so it demands its CSRF proof on every change.
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(stack.uri(8085, "/services/cta-engine/api/v1/ctas/cta-none/reopen"))
                .header("Origin", "http://evil.example").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("another origin");
        REPORT.put("HTTP: cookie-only authentication and forged console changes", new int[] { 5, 5, 0, 0, 0 });
    }

    // ------------------------------------------------------------------ (c) rule drafts that try to run code

    @Test
    void ruleDraftsThatTryToRunCodeAreRefusedAtTheirLineAndNoneRuns() throws Exception {
        Path marker = Files.createTempDirectory("beacon-marker").resolve("ran");
        String path = marker.toString();
        Map<String, String> escapes = new LinkedHashMap<>();
        escapes.put("unicode escapes", "String s = \"\\u0022 + new java.io.File(\\u0022" + path + "\\u0022).createNewFile() + \\u0022\";");
        escapes.put("a class that opens files", "new java.util.Formatter(\"" + path + "\");");
        escapes.put("logging that truncates files", "new java.util.logging.FileHandler(\"" + path + "\");");
        escapes.put("the process API", "Runtime.getRuntime().exec(\"touch " + path + "\");");
        escapes.put("reflection through getClass", "decisions.getClass().getClassLoader().loadClass(\"java.io.File\");");
        escapes.put("method handles", "java.lang.invoke.MethodHandles.lookup();");
        escapes.put("StackWalker", "StackWalker.getInstance();");
        escapes.put("module layers", "ModuleLayer.boot().findLoader(\"java.base\");");
        escapes.put("a name split into strings", "String n = \"java.io.\" + \"File\"; Class.forName(n);");
        escapes.put("the Drools session", "drools.getKieRuntime().halt();");
        Map<String, String> conditions = new LinkedHashMap<>();
        conditions.put("MVEL access to a class loader", "AccountStats( decisions.class.classLoader != null )");
        conditions.put("a from expression", "$n : String() from new java.io.File(\"" + path + "\").getName()");
        conditions.put("an accumulate argument",
                "$s : Number() from accumulate( AccountStats( $n : openTickets ), sum( new java.io.File(\"" + path + "\").length() ) )");
        conditions.put("an eval", "eval( new java.io.File(\"" + path + "\").createNewFile() )");
        String rulesAdmin = tokens.issue(Roles.RULES_ADMIN, "ops-hostile");
        int tried = 0;
        int refused = 0;
        List<String> accepted = new ArrayList<>();
        for (var escape : escapes.entrySet()) {
            tried++;
            refused += refusedAtLine(rulesAdmin, "rule \"Escape\"\nwhen\nthen\n    " + escape.getValue() + "\nend\n", 8,
                    escape.getKey(), accepted);
        }
        for (var condition : conditions.entrySet()) {
            tried++;
            refused += refusedAtLine(rulesAdmin, "rule \"Escape\"\nwhen\n    " + condition.getValue() + "\nthen\nend\n", 7,
                    condition.getKey(), accepted);
        }
        String function = "function void evil() {\n    new java.io.File(\"" + path + "\").createNewFile();\n}\n";
        tried++;
        refused += refusedAtLine(rulesAdmin, function, 6, "a function", accepted);

        HttpResponse<String> throwing = postDraft(rulesAdmin, "rule \"RenewalExplained\"\nwhen\n    $a : AccountFact()\nthen\n"
                + "    decisions.raise(\"RISK\", \"renewal\", \"RenewalExplained\").explain(\"renewal\", $a.getRenewalDate().toString());\nend\n");
        assertThat(throwing.statusCode()).isEqualTo(422);
        assertThat(throwing.body()).contains("rule RenewalExplained threw NullPointerException");

        assertThat(accepted).as("drafts not refused precisely").isEmpty();
        assertThat(marker).as("rule code ran").doesNotExist();
        REPORT.put("rule drafts that try to run code", new int[] { tried, refused, Files.exists(marker) ? 1 : 0, 0, 0 });
        assertAllHealthy();
    }

    private int refusedAtLine(String token, String rule, int line, String name, List<String> accepted) throws Exception {
        HttpResponse<String> response = postDraft(token, rule);
        JsonNode body = JSON.readTree(response.body());
        boolean atLine = false;
        for (JsonNode error : body.path("validation").path("errors")) {
            atLine |= error.path("line").asInt() == line && !error.path("message").asText().isBlank();
        }
        if (response.statusCode() == 422 && atLine && body.path("validation").path("scenarios").isEmpty()) {
            return 1;
        }
        accepted.add(name + ": " + response.statusCode() + " " + response.body());
        return 0;
    }

    private HttpResponse<String> postDraft(String token, String rule) throws Exception {
        String drl = "package io.beacon.rules.x;\nimport io.beacon.engine.rules.model.*;\nglobal Decisions decisions;\n\n" + rule;
        String scenario = "{\"description\": \"any account\", \"account\": {\"segment\": \"MARS\"}, "
                + "\"stats\": {\"openTickets\": 1}, \"expect\": []}";
        String body = JSON.writeValueAsString(Map.of("files", Map.of("escape.drl", drl),
                "scenarios", Map.of("any.json", scenario), "comment", "hostile"));
        return http.send(HttpRequest.newBuilder(stack.uri(8083, "/api/v1/rulesets/default/versions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ helpers

    private void assertAllHealthy() throws Exception {
        for (int port : List.of(8081, 8082, 8083, 8084, 8085)) {
            HttpResponse<String> health = get(port, "/q/health", null);
            assertThat(health.statusCode()).as("health of %d: %s", port, health.body()).isEqualTo(200);
        }
    }

    private Call json(String service, String name, int port, String method, String path, String body, String role,
            String mention) {
        return new Call(service, name, port, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8),
                role, mention);
    }

    private Call get(String service, String name, int port, String path, String role, String mention) {
        return new Call(service, name, port, "GET", path, null, null, role, mention);
    }

    private HttpResponse<String> send(Call call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.uri(call.port(), call.path()))
                .header("Authorization", "Bearer " + tokens.issue(call.role(), "hostile-" + call.role()))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.uri(port, path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
