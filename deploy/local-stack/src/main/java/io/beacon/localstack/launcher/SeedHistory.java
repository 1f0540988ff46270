package io.beacon.localstack.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import io.beacon.contracts.Segment;
import io.beacon.contracts.Topics;

/**
 * Thirty days of support history for the demo accounts in {@code seeds/accounts.csv}, published
 * once on {@code tickets.events} when the topic is empty, so the demo opens with CTAs, escalations
 * and a history that backtests can replay. The stream is generated from a fixed seed: every fresh
 * stack gets the same one. It goes straight to Kafka with the times of the past, as a support
 * system's export would, rather than through ticket-ingest's live API (which refuses old events).
 */
final class SeedHistory {

    private static final String[] PRIORITIES = { "low", "normal", "normal", "normal", "high", "high", "urgent" };
    private static final String[] KINDS = { "question", "incident", "problem", "task" };

    private SeedHistory() {
    }

    /** @return how many events were published (0 when the topic already had events) */
    /** Told how far publishing has got: a quarter at a time, and when all are acknowledged. */
    interface Progress {
        void published(int done, int total);
    }

    static int publishIfEmpty(String bootstrap, Path accountsCsv, Instant now) throws Exception {
        return publishIfEmpty(bootstrap, accountsCsv, now, (done, total) -> {
        });
    }

    static int publishIfEmpty(String bootstrap, Path accountsCsv, Instant now, Progress progress) throws Exception {
        if (!Files.exists(accountsCsv) || !topicEmpty(bootstrap)) {
            return 0;
        }
        List<ProducerRecord<String, String>> events = generate(accounts(accountsCsv), now, new Random(20261101L));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            int quarter = Math.max(1, events.size() / 4);
            java.util.concurrent.atomic.AtomicInteger acknowledged = new java.util.concurrent.atomic.AtomicInteger();
            for (ProducerRecord<String, String> event : events) {
                producer.send(event, (metadata, error) -> {
                    int done = acknowledged.incrementAndGet();
                    if (done % quarter == 0 && done < events.size()) {
                        progress.published(done, events.size());
                    }
                });
            }
            producer.flush();
            progress.published(acknowledged.get(), events.size());
        }
        return events.size();
    }

    record Account(String id, Segment segment) {
    }

    static List<Account> accounts(Path csv) throws IOException {
        List<Account> accounts = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length > 2 && !cells[0].isBlank()) {
                accounts.add(new Account(cells[0].trim(), Segment.forEmployees(Integer.parseInt(cells[2].trim()))));
            }
        }
        return accounts;
    }

    /**
     * Per account, tickets arrive at a rate that grows with the segment; each is opened, sometimes
     * raised in priority or breached, and usually solved a few days later (a few are reopened). The
     * records are keyed by account and sorted by time.
     */
    static List<ProducerRecord<String, String>> generate(List<Account> accounts, Instant now, Random random) {
        record Timed(Instant at, ProducerRecord<String, String> record) {
        }
        List<Timed> events = new ArrayList<>();
        Instant start = now.minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.HOURS);
        int serial = 0;
        for (Account account : accounts) {
            double perDay = switch (account.segment()) {
                case MERCURY -> 0.06;
                case MARS -> 0.15;
                case VENUS -> 0.3;
                case JUPITER -> 0.6;
            };
            // Some accounts are going through a bad patch: more tickets, solved more slowly.
            boolean troubled = random.nextDouble() < 0.15;
            double rate = troubled ? perDay * 2.5 : perDay;
            for (int day = 0; day < 30; day++) {
                int count = poisson(rate, random);
                for (int n = 0; n < count; n++) {
                    String ticket = "SEED-" + (++serial);
                    Instant created = start.plus(Duration.ofDays(day)).plusSeconds(random.nextInt(86_400));
                    String priority = PRIORITIES[random.nextInt(PRIORITIES.length)];
                    String kind = KINDS[random.nextInt(KINDS.length)];
                    List<Object[]> life = new ArrayList<>();
                    life.add(new Object[] { created, "created", "open", priority, false });
                    Instant at = created;
                    double solveDays = troubled ? 4 + random.nextDouble() * 10 : 0.5 + random.nextDouble() * 4;
                    if (random.nextDouble() < 0.08) {
                        at = at.plus(Duration.ofHours(20 + random.nextInt(30)));
                        life.add(new Object[] { at, "sla_breached", "open", priority, true });
                    }
                    Instant solved = created.plusSeconds((long) (solveDays * 86_400));
                    if (solved.isBefore(now)) {
                        life.add(new Object[] { solved, "status_changed", "solved", priority, false });
                        if (random.nextDouble() < 0.07) {
                            Instant reopened = solved.plus(Duration.ofHours(6 + random.nextInt(48)));
                            if (reopened.isBefore(now)) {
                                life.add(new Object[] { reopened, "status_changed", "open", priority, false });
                            }
                        }
                    }
                    for (Object[] step : life) {
                        Instant when = (Instant) step[0];
                        if (when.isAfter(now)) {
                            continue;
                        }
                        String eventId = "seed-" + ticket + "-" + step[1] + "-" + when.getEpochSecond();
                        String json = """
                                {"eventId":"%s","source":"zendesk","type":"%s","occurredAt":"%s","accountId":"%s",\
                                "ticket":{"id":"%s","status":"%s","priority":"%s","type":"%s","subject":"Seeded ticket %s",\
                                "createdAt":"%s","updatedAt":"%s","sla":{"breached":%s}}}"""
                                .formatted(eventId, step[1], when, account.id(), ticket, step[2], step[3], kind, ticket,
                                        created, when, step[4]);
                        events.add(new Timed(when, new ProducerRecord<>(Topics.TICKETS_EVENTS, account.id(), json)));
                    }
                }
            }
        }
        events.sort(Comparator.comparing(Timed::at));
        return events.stream().map(Timed::record).collect(Collectors.toList());
    }

    private static int poisson(double mean, Random random) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            count++;
            product *= random.nextDouble();
        }
        return count;
    }

    private static boolean topicEmpty(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.TICKETS_EVENTS)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.TICKETS_EVENTS).partitions().stream()
                    .map(p -> new TopicPartition(Topics.TICKETS_EVENTS, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(info -> info.offset() == 0);
        }
    }
}
