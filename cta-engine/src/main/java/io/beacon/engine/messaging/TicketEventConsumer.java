package io.beacon.engine.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.TicketEvent;
import io.beacon.contracts.Topics;
import io.beacon.engine.service.EvaluationService;
import io.beacon.engine.service.TicketStateService;
import io.beacon.platform.kafka.CloudEventRecords;
import io.beacon.platform.kafka.IncomingRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads {@code tickets.events} in batches. Per batch: records that are not usable ticket events go
 * to {@code tickets.events.dlq} with the reason; the rest are applied in one transaction, and each
 * account they touch is evaluated once, after all its events. The batch's offsets are acknowledged
 * only after that transaction has committed. A database that is away is waited for, with backoff:
 * good events are never dead-lettered for an outage.
 */
@ApplicationScoped
public class TicketEventConsumer {

    public static final String CHANNEL = "tickets-in";
    public static final String DLQ_CHANNEL = "tickets-dlq";

    private static final Logger LOG = Logger.getLogger(TicketEventConsumer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final TicketStateService tickets;
    private final EvaluationService evaluation;
    private final MeterRegistry registry;
    private final MutinyEmitter<byte[]> deadLetters;
    private final ObjectMapper json;
    private final Timer lag;
    private final Timer batchTime;

    TicketEventConsumer(TicketStateService tickets, EvaluationService evaluation, MeterRegistry registry,
            @Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters, ObjectMapper json) {
        this.json = json;
        this.tickets = tickets;
        this.evaluation = evaluation;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.lag = Timer.builder("beacon.engine.event.lag")
                .description("Time from an event's Kafka timestamp to the commit of its state and CTA changes")
                .publishPercentileHistogram()
                .register(registry);
        this.batchTime = Timer.builder("beacon.engine.batch.duration")
                .description("Time to apply and evaluate one consumed batch, commit included")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, TicketEvent> batch) throws InterruptedException {
        List<TicketEvent> usable = new ArrayList<>(batch.count());
        List<Uni<Void>> setAside = new ArrayList<>();
        for (ConsumerRecord<String, TicketEvent> record : batch) {
            String problem = problem(record);
            if (problem == null) {
                usable.add(record.value());
            } else {
                setAside.add(deadLetter(record, problem));
            }
        }
        if (!setAside.isEmpty()) {
            // The dead letters must be safe before the batch's offsets move past them.
            Uni.join().all(setAside).andFailFast().await().atMost(Duration.ofSeconds(30));
            registry.counter("beacon.engine.ticket.events", "outcome", "dead_lettered").increment(setAside.size());
        }
        if (!usable.isEmpty()) {
            long started = System.nanoTime();
            applyUntilCommitted(usable);
            batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            long committed = System.currentTimeMillis();
            for (ConsumerRecord<String, TicketEvent> record : batch) {
                lag.record(Math.max(0, committed - record.timestamp()), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void applyUntilCommitted(List<TicketEvent> events) throws InterruptedException {
        Duration backoff = Duration.ofMillis(200);
        while (true) {
            try {
                TicketStateService.Applied applied = QuarkusTransaction.requiringNew().call(() -> apply(events));
                for (TicketStateService.Outcome outcome : TicketStateService.Outcome.values()) {
                    registry.counter("beacon.engine.ticket.events", "outcome", outcome.name().toLowerCase())
                            .increment(applied.count(outcome));
                }
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Could not store a batch of %d ticket events, retrying in %d ms: %s", events.size(),
                        backoff.toMillis(), e.getMessage());
                registry.counter("beacon.engine.batch.retries").increment();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private TicketStateService.Applied apply(List<TicketEvent> events) {
        evaluation.lockAccounts(events.stream().map(TicketEvent::accountId).collect(Collectors.toSet()));
        TicketStateService.Applied applied = tickets.applyAll(events);
        evaluation.evaluateAll(applied.changedAccounts().keySet(), applied.changedAccounts());
        return applied;
    }

    /** @return why the record cannot be used, or null when it can */
    static String problem(ConsumerRecord<String, TicketEvent> record) {
        TicketEvent event = record.value();
        if (event == null) {
            String reason = CloudEventRecords.header(record.headers(), IncomingRecords.DESERIALIZATION_FAILURE_REASON);
            return "not a readable ticket event: " + (reason != null ? reason : "empty value");
        }
        if (event.eventId() == null || event.accountId() == null || event.ticket() == null
                || event.ticket().id() == null || event.ticket().updatedAt() == null || event.ticket().status() == null) {
            return "ticket event lacks eventId, accountId or ticket id/status/updatedAt";
        }
        return null;
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, TicketEvent> record, String reason) {
        byte[] original = rawValue(record);
        Headers headers = new RecordHeaders();
        record.headers().forEach(h -> {
            if (!h.key().startsWith("deserialization-failure")) {
                headers.add(h);
            }
        });
        headers.add(CloudEventHeaders.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return deadLetters.sendMessage(Message.of(original).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.TICKETS_EVENTS_DLQ).withKey(record.key()).withHeaders(headers).build()));
    }

    private byte[] rawValue(ConsumerRecord<String, TicketEvent> record) {
        var data = record.headers().lastHeader("deserialization-failure-data");
        if (data != null) {
            return data.value();
        }
        // A readable but incomplete event: written back as the JSON that was read.
        try {
            return json.writeValueAsBytes(record.value());
        } catch (JsonProcessingException e) {
            return new byte[0];
        }
    }
}
