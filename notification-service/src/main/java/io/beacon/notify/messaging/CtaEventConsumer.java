package io.beacon.notify.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Topics;
import io.beacon.notify.service.NotificationIntake;
import io.beacon.platform.kafka.DeadLetters;
import io.beacon.platform.tx.UntilCommitted;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads {@code ctas.events} in batches. Unusable records go to {@code ctas.events.dlq} with the
 * reason; the rest are accepted in one transaction, waiting out a database outage, and the batch is
 * acknowledged only after it has committed. Sending is not part of it: a slow channel never holds
 * up the topic.
 */
@ApplicationScoped
public class CtaEventConsumer {

    public static final String CHANNEL = "ctas-in";
    public static final String DLQ_CHANNEL = "ctas-dlq";

    private final NotificationIntake intake;
    private final MeterRegistry registry;
    private final MutinyEmitter<byte[]> deadLetters;
    private final ObjectMapper json;
    private final Timer lag;

    CtaEventConsumer(NotificationIntake intake, MeterRegistry registry,
            @Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters, ObjectMapper json) {
        this.intake = intake;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.json = json;
        this.lag = Timer.builder("beacon.notify.event.lag")
                .description("Time from a CTA event's Kafka timestamp to its inbox items and deliveries committing")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, CtaEvent> batch) throws InterruptedException {
        List<CtaEvent> usable = new ArrayList<>(batch.count());
        List<Uni<Void>> setAside = new ArrayList<>();
        for (ConsumerRecord<String, CtaEvent> record : batch) {
            String problem = problem(record);
            if (problem == null) {
                usable.add(record.value());
            } else {
                setAside.add(deadLetters.sendMessage(
                        DeadLetters.message(record, Topics.CTAS_EVENTS_DLQ, problem, readable(record))));
            }
        }
        if (!setAside.isEmpty()) {
            // The dead letters must be safe before the batch's offsets move past them.
            Uni.join().all(setAside).andFailFast().await().atMost(Duration.ofSeconds(30));
            registry.counter("beacon.notify.cta.events", "outcome", "dead_lettered").increment(setAside.size());
        }
        if (usable.isEmpty()) {
            return;
        }
        NotificationIntake.Accepted accepted = UntilCommitted.call("a batch of " + usable.size() + " CTA events",
                () -> intake.accept(usable), () -> registry.counter("beacon.notify.batch.retries").increment());
        registry.counter("beacon.notify.cta.events", "outcome", "accepted").increment(accepted.notifications());
        registry.counter("beacon.notify.cta.events", "outcome", "duplicate").increment(accepted.duplicates());
        long committed = System.currentTimeMillis();
        for (ConsumerRecord<String, CtaEvent> record : batch) {
            lag.record(Math.max(0, committed - record.timestamp()), TimeUnit.MILLISECONDS);
        }
    }

    /** @return why the record cannot be used, or null when it can */
    static String problem(ConsumerRecord<String, CtaEvent> record) {
        CtaEvent event = record.value();
        if (event == null) {
            return DeadLetters.unreadableReason(record, "CTA event");
        }
        if (event.eventId() == null || event.ctaId() == null || event.accountId() == null || event.kind() == null) {
            return "CTA event lacks eventId, ctaId, accountId or kind";
        }
        return null;
    }

    private byte[] readable(ConsumerRecord<String, CtaEvent> record) {
        try {
            return record.value() == null ? null : json.writeValueAsBytes(record.value());
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
