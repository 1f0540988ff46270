package io.beacon.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.TicketEvent;
import io.beacon.contracts.Topics;

/**
 * Measures the engine on the running local stack: publishes account snapshots, then N ticket
 * events spread over the accounts, and times how long the engine's consumer group takes to commit
 * them all (each commit follows the database commit of state, evaluation and CTAs). In the same run
 * a plain consumer reads the same records and only deserialises them, for the ratio.
 */
final class EngineBenchmark {

    record Options(String bootstrap, int events, int accounts) {
    }

    private static final String ENGINE_GROUP = "cta-engine";

    private final Options options;
    private final PrintStream out;

    EngineBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        out.printf("engine benchmark: %d ticket events over %d accounts -> %s%n", options.events(), options.accounts(),
                options.bootstrap());
        try (KafkaProducer<String, String> producer = producer(); Admin admin = admin()) {
            for (int a = 0; a < options.accounts(); a++) {
                String account = "bench-" + run + "-" + a;
                String segment = new String[] { "MERCURY", "MARS", "VENUS", "JUPITER" }[a % 4];
                producer.send(new ProducerRecord<>(Topics.ACCOUNTS_SNAPSHOTS, account, """
                        {"accountId":"%s","name":"Bench %d","employees":%d,"segment":"%s",
                         "csm":{"id":"csm-bench-%d","name":"Bench CSM","email":"b@example.com","team":"Bench"},"version":1}
                        """.formatted(account, a, 50 + a % 4000, segment, a % 12)));
            }
            producer.flush();
            awaitCaughtUp(admin, Topics.ACCOUNTS_SNAPSHOTS, Duration.ofMinutes(10));
            out.println("account snapshots consumed; publishing ticket events");

            Map<TopicPartition, Long> start = endOffsets(admin, Topics.TICKETS_EVENTS);
            Instant began = Instant.now();
            Instant now = Instant.now();
            for (int i = 0; i < options.events(); i++) {
                int account = i % options.accounts();
                int ticket = (i / options.accounts()) % 8;
                String status = (i / options.accounts()) % 8 < 6 ? "open" : "solved";
                producer.send(new ProducerRecord<>(Topics.TICKETS_EVENTS, "bench-" + run + "-" + account, """
                        {"eventId":"bench-%s-%d","source":"api","type":"updated","occurredAt":"%s","accountId":"bench-%s-%d",
                         "ticket":{"id":"t%d","status":"%s","priority":"normal","createdAt":"%s","updatedAt":"%s"}}
                        """.formatted(run, i, now, run, account, ticket, status, now.minusSeconds(86_400 * 3),
                        now.plusMillis(i))));
            }
            producer.flush();
            Duration published = Duration.between(began, Instant.now());
            awaitCaughtUp(admin, Topics.TICKETS_EVENTS, Duration.ofMinutes(30));
            Duration engine = Duration.between(began, Instant.now());

            Duration raw = rawConsume(start);
            double engineRate = options.events() / (engine.toNanos() / 1e9);
            double rawRate = options.events() / (raw.toNanos() / 1e9);
            out.printf("published in %.1f s%n", published.toNanos() / 1e9);
            out.printf("engine: %d events committed in %.1f s = %.0f events/s (from first publish)%n", options.events(),
                    engine.toNanos() / 1e9, engineRate);
            out.printf("raw consumer (deserialise only): %.1f s = %.0f events/s; engine/raw = %.2f%n",
                    raw.toNanos() / 1e9, rawRate, engineRate / rawRate);
            out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        }
        return 0;
    }

    private Duration rawConsume(Map<TopicPartition, Long> start) throws Exception {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            long read = 0;
            Instant began = Instant.now();
            while (read < options.events()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    json.readValue(record.value(), TicketEvent.class);
                    read++;
                }
            }
            return Duration.between(began, Instant.now());
        }
    }

    private void awaitCaughtUp(Admin admin, String topic, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<TopicPartition, Long> end = endOffsets(admin, topic);
        while (Instant.now().isBefore(deadline)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ENGINE_GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            boolean done = end.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue() == 0 || (c != null && c.offset() >= e.getValue());
            });
            if (done) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the engine did not catch up on " + topic + " within " + timeout);
    }

    private Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put("bootstrap.servers", options.bootstrap());
        return Admin.create(props);
    }
}
