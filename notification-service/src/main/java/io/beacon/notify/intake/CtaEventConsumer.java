package io.beacon.notify.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.ContractChecks;
import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Topics;
import io.beacon.platform.kafka.DeadLetters;
import io.beacon.platform.kafka.RecordChecks;
import io.beacon.platform.tx.DatabaseProbe;
import io.beacon.platform.tx.Failures;
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
    private final DatabaseProbe database;

    CtaEventConsumer(NotificationIntake intake, MeterRegistry registry,
            @Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters, ObjectMapper json, DatabaseProbe database) {
        this.database = database;
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
        List<ConsumerRecord<String, CtaEvent>> usable = new ArrayList<>(batch.count());
        List<Uni<Void>> setAside = new ArrayList<>();
        for (ConsumerRecord<String, CtaEvent> record : batch) {
            String problem = problem(record);
            if (problem == null) {
                usable.add(record);
            } else {
                setAside.add(deadLetters.sendMessage(
                        DeadLetters.message(record, Topics.CTAS_EVENTS_DLQ, problem, DeadLetters.asJson(json, record))));
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
        storeOrIsolate(batch, usable);
        long committed = System.currentTimeMillis();
        for (ConsumerRecord<String, CtaEvent> record : batch) {
            lag.record(Math.max(0, committed - record.timestamp()), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The batch in one transaction; if the database refuses it for good, one event at a time, and the
     * event it refuses goes to the dead-letter topic with the reason. Outages are waited out.
     */
    private void storeOrIsolate(ConsumerRecords<String, CtaEvent> batch,
            List<ConsumerRecord<String, CtaEvent>> usable) throws InterruptedException {
        List<CtaEvent> events = usable.stream().map(ConsumerRecord::value).toList();
        UntilCommitted.Outcome<NotificationIntake.Accepted> all = UntilCommitted.callUnlessPermanent(
                "a batch of " + events.size() + " CTA events", () -> intake.accept(events), this::retried,
                database::reachable);
        if (all.stored()) {
            count(all.value());
            return;
        }
        for (ConsumerRecord<String, CtaEvent> record : usable) {
            UntilCommitted.Outcome<NotificationIntake.Accepted> one = UntilCommitted.callUnlessPermanent(
                    "CTA event " + record.value().eventId(), () -> intake.accept(List.of(record.value())), this::retried,
                    database::reachable);
            if (one.stored()) {
                count(one.value());
            } else {
                deadLetters.sendMessage(DeadLetters.message(record, Topics.CTAS_EVENTS_DLQ, "the database refused the "
                        + "event: " + Failures.rootMessage(one.permanentFailure()), DeadLetters.asJson(json, record)))
                        .await().atMost(Duration.ofSeconds(30));
                registry.counter("beacon.notify.cta.events", "outcome", "dead_lettered").increment();
            }
        }
    }

    private void retried() {
        registry.counter("beacon.notify.batch.retries").increment();
    }

    private void count(NotificationIntake.Accepted accepted) {
        registry.counter("beacon.notify.cta.events", "outcome", "accepted").increment(accepted.notifications());
        registry.counter("beacon.notify.cta.events", "outcome", "duplicate").increment(accepted.duplicates());
    }

    /** @return why the record cannot be used ({@link RecordChecks}), or null when it can */
    static String problem(ConsumerRecord<String, CtaEvent> record) {
        return RecordChecks.problem(record, "CTA event", ContractChecks::ctaEvent, CtaEvent::accountId);
    }
}
