package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconTestInfra;

/**
 * Two packaged engine processes in one consumer group on the real broker, a continuous stream of
 * ticket events, and a rule change in the middle of it: the new version must reach both instances
 * within 2 s, every event must be processed exactly once, and the CTAs on both instances' partitions
 * must follow the new version.
 */
class RuleActivationIT {

    private static final Path HOME = Path.of(System.getProperty("beacon.home", "..")).toAbsolutePath().normalize();
    private static final Path ENGINE_JAR = HOME.resolve("cta-engine/target/quarkus-app/quarkus-run.jar");
    private static final int ACCOUNTS = 60;
    private static final int TICKETS = 6;

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Engines engines = new Engines(infra);
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    @AfterEach
    void stopEngines() throws InterruptedException {
        engines.close();
    }

    @Test
    void activatingAVersionChangesBothInstancesWithinTwoSecondsWhileEventsFlow() throws Exception {
        String db = engines.database("twin_" + run);
        String group = "twin-" + run;
        int portA = engines.start("twin-a", db, group).port();
        int portB = engines.start("twin-b", db, group).port();

        try (KafkaProducer<String, String> producer = producer(); Admin admin = admin()) {
            for (int a = 0; a < ACCOUNTS; a++) {
                producer.send(new ProducerRecord<>(Topics.ACCOUNTS_SNAPSHOTS, account(a), """
                        {"accountId":"%s","name":"Twin %d","employees":250,"segment":"MARS",
                         "csm":{"id":"csm-twin","name":"CSM","email":"c@example.com","team":"Mars-1"},"version":1}"""
                        .formatted(account(a), a)));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> engines.count(db,
                    "SELECT count(*) FROM engine.account_view WHERE account_id LIKE 'twin-" + run + "-%'") == ACCOUNTS);
            Map<String, Set<Integer>> owners = Engines.ticketPartitionsByMember(admin, group);
            assertThat(owners).as("both instances own ticket partitions: %s", owners).hasSize(2);

            // Ticket k of every account, one round after another, ~4 s a round; the change lands in round 2.
            Instant t0 = Instant.now().minus(Duration.ofHours(1));
            Thread publisher = new Thread(() -> {
                for (int k = 1; k <= TICKETS; k++) {
                    for (int a = 0; a < ACCOUNTS; a++) {
                        Instant at = t0.plusSeconds(60L * k);
                        producer.send(new ProducerRecord<>(Topics.TICKETS_EVENTS, account(a), """
                                {"eventId":"twin-%s-%d-%d","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                                 "ticket":{"id":"t%d","status":"open","priority":"normal","createdAt":"%s","updatedAt":"%s"}}"""
                                .formatted(run, a, k, at, account(a), k, at, at)));
                        sleep(4000 / ACCOUNTS);
                    }
                }
                producer.flush();
            }, "twin-publisher");
            String token = infra.token(Roles.RULES_ADMIN);
            // A draft whose rule throws is refused with the rule and message, while both engines, which
            // each prepare every announced draft, stay healthy and keep serving the active version.
            JsonNode throwing = post(portA, "/api/v1/rulesets/default/versions", token, THROWING_DRAFT);
            assertThat(throwing.path("status").asInt()).as(throwing.toString()).isEqualTo(422);
            assertThat(throwing.path("detail").asText()).contains("rule RenewalExplained threw NullPointerException");
            int refused = throwing.path("version").path("version").asInt();
            for (int port : List.of(portA, portB)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> version(port, token, refused)
                        .path("validation").path("ok").asText().equals("false"));
                assertThat(health(port)).as("engine on " + port).isEqualTo(200);
            }
            // (Checked before the events flow: the throwing draft carries every file and scenario of the
            // active version, so preparing it takes a while, and the change below must land mid-stream.)
            publisher.start();
            sleep(5000);
            JsonNode draft = post(portA, "/api/v1/rulesets/default/versions", token, """
                    {"params":{"supportRisk.openTickets":{"MARS":3}},"comment":"try 3 for MARS"}""");
            int version = draft.path("version").path("version").asInt();
            assertThat(draft.path("validation").path("ok").asBoolean()).as(draft.toString()).isTrue();
            // Every instance compiles an announced draft off the event path (the console shows it as
            // ready on each instance), so that the activation itself is only a swap.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> prepared(portA, token, version) && prepared(portB, token, version));
            long asked = System.nanoTime();
            JsonNode activated = post(portA, "/api/v1/rulesets/default/versions/" + version + "/activate", token,
                    "{\"comment\":\"mid-stream\"}");
            assertThat(activated.path("status").asText()).as(activated.toString()).isEqualTo("ACTIVE");
            Map<Integer, Long> swapMillis = new HashMap<>();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (int port : List.of(portA, portB)) {
                    if (!swapMillis.containsKey(port) && serving(port, token) == version) {
                        swapMillis.put(port, (System.nanoTime() - asked) / 1_000_000);
                    }
                }
                return swapMillis.size() == 2;
            });
            System.out.printf("RuleActivationIT: v%d serving on instance A after %d ms, on B after %d ms%n", version,
                    swapMillis.get(portA), swapMillis.get(portB));
            assertThat(swapMillis.values()).allMatch(ms -> ms <= 2000);

            publisher.join();
            int events = ACCOUNTS * TICKETS;
            await().atMost(Duration.ofSeconds(60)).until(() -> engines.count(db,
                    "SELECT count(*) FROM engine.processed_event WHERE event_id LIKE 'twin-" + run + "-%'") == events);
            await().atMost(Duration.ofSeconds(30)).until(() -> engines.count(db,
                    "SELECT count(*) FROM engine.cta WHERE account_id LIKE 'twin-" + run + "-%'") == ACCOUNTS);

            // Exactly once: every event recorded once, every ticket stored once with its last event.
            assertThat(engines.count(db, "SELECT count(*) FROM engine.ticket WHERE account_id LIKE 'twin-" + run + "-%'"))
                    .isEqualTo(events);
            // Every account, on whichever instance's partition, got its support-risk CTA from the new version.
            Map<String, Integer> versionByAccount = new HashMap<>();
            try (Connection c = engines.connect(db);
                    Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                            SELECT account_id, reason, ruleset_version FROM engine.cta WHERE account_id LIKE 'twin-%s-%%'"""
                            .formatted(run))) {
                while (r.next()) {
                    assertThat(r.getString("reason")).isEqualTo("support-risk");
                    versionByAccount.put(r.getString("account_id"), r.getInt("ruleset_version"));
                }
            }
            assertThat(versionByAccount).hasSize(ACCOUNTS).allSatisfy((account, v) -> assertThat(v).isEqualTo(version));
            for (Map.Entry<String, Set<Integer>> member : owners.entrySet()) {
                long covered = versionByAccount.keySet().stream()
                        .filter(a -> member.getValue().contains(partition(a))).count();
                assertThat(covered).as("accounts on the partitions of %s", member.getKey()).isPositive();
            }
        }
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % Topics.EVENT_PARTITIONS;
    }

    private static final String THROWING_DRAFT = """
            {"files": {"renewal.drl": "package io.beacon.rules.renewal;\\nimport io.beacon.engine.rules.model.*;\\nglobal Decisions decisions;\\nrule \\"RenewalExplained\\"\\nwhen\\n    $a : AccountFact()\\nthen\\n    decisions.raise(\\"RISK\\", \\"renewal\\", \\"RenewalExplained\\").explain(\\"renewal\\", $a.getRenewalDate().toString());\\nend\\n"},
             "scenarios": {"no-renewal.json": "{\\"description\\": \\"no renewal date\\", \\"account\\": {\\"segment\\": \\"MARS\\"}, \\"stats\\": {\\"openTickets\\": 1}, \\"expect\\": []}"},
             "comment": "a rule that throws"}""";

    private JsonNode version(int port, String token, int version) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/rulesets/default/versions/" + version)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    private int health(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int serving(int port, String token) throws Exception {
        return ruleset(port, token).path("servingVersion").asInt(-1);
    }

    private boolean prepared(int port, String token, int version) throws Exception {
        for (JsonNode prepared : ruleset(port, token).path("preparedVersions")) {
            if (prepared.asInt() == version) {
                return true;
            }
        }
        return false;
    }

    /** The default ruleset as the engine on {@code port} sees it. */
    private JsonNode ruleset(int port, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/rulesets")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode ruleset : json.readTree(response.body())) {
            if ("default".equals(ruleset.path("name").asText())) {
                return ruleset;
            }
        }
        return json.missingNode();
    }

    private JsonNode post(int port, String path, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    private String account(int a) {
        return "twin-" + run + "-" + a;
    }

    private KafkaProducer<String, String> producer() {
        return KafkaClients.producer(infra.bootstrapServers(), 0);
    }

    private Admin admin() {
        return KafkaClients.admin(infra.bootstrapServers());
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
