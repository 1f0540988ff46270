package io.beacon.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The broker goes away while support systems keep sending. Every request must be answered within
 * a bounded time; every event answered 202 must be on the topic once the broker is back.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class KafkaOutageTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @AfterEach
    void brokerIsBack() {
        infra.kafka().start();
    }

    @Test
    void noEventAnswered202IsLostWhenTheBrokerStopsMidStream() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        String token = infra.token(Roles.INGEST);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger sequence = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, Long> slowest = new ConcurrentHashMap<>();

        ExecutorService senders = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            senders.submit(() -> {
                while (running.get()) {
                    String eventId = "out-" + sequence.incrementAndGet() + "-" + account;
                    long started = System.nanoTime();
                    Response response = given().auth().oauth2(token).contentType(ContentType.JSON)
                            .body(TicketEventResourceTest.event(eventId, account, "open"))
                            .post("/api/v1/ticket-events");
                    slowest.merge(response.statusCode(), System.nanoTime() - started, Math::max);
                    outcomes.put(eventId, response.statusCode());
                    if (response.statusCode() == 202) {
                        accepted.incrementAndGet();
                    } else if (response.statusCode() == 503) {
                        assertThat(response.header("Retry-After")).isNotBlank();
                        unavailable.incrementAndGet();
                    }
                }
                return null;
            });
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.get() >= 20);
            infra.kafka().stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> unavailable.get() >= 4);
            int acceptedBeforeRestart = accepted.get();
            infra.kafka().start();
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= acceptedBeforeRestart + 20);
        } finally {
            running.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(outcomes.values()).allMatch(status -> status == 202 || status == 503);
        assertThat(Duration.ofNanos(slowest.getOrDefault(503, 0L))).as("slowest 503").isLessThan(Duration.ofSeconds(20));

        Set<String> acceptedIds = outcomes.entrySet().stream().filter(e -> e.getValue() == 202)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> onTopic = infra.awaitRecords(Topics.TICKETS_EVENTS, account,
                acceptedIds.size(), Duration.ofSeconds(60));
        Set<String> idsOnTopic = onTopic.stream().map(r -> r.value().replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toSet());
        assertThat(idsOnTopic).containsAll(acceptedIds);
    }

    @Test
    void requestWhileTheBrokerIsDownGets503WithRetryAfterQuickly() {
        infra.kafka().stop();
        Instant started = Instant.now();
        given().auth().oauth2(infra.token(Roles.INGEST)).contentType(ContentType.JSON)
                .body(TicketEventResourceTest.event("down-" + UUID.randomUUID(), "acct-" + UUID.randomUUID(), "open"))
                .when().post("/api/v1/ticket-events")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5");
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(20));

        infra.kafka().start();
        String account = "acct-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.INGEST))
                .contentType(ContentType.JSON)
                .body(TicketEventResourceTest.event("back-" + UUID.randomUUID(), account, "open"))
                .when().post("/api/v1/ticket-events")
                .then().statusCode(202));
        assertThat(infra.awaitRecords(Topics.TICKETS_EVENTS, account, 1)).isNotEmpty();
    }
}
