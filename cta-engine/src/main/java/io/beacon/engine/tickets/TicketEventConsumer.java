package io.beacon.engine.tickets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.ContractChecks;
import io.beacon.contracts.TicketEvent;
import io.beacon.contracts.Topics;
import io.beacon.engine.evaluation.Backlog;
import io.beacon.engine.evaluation.EvaluationService;
import io.beacon.engine.evaluation.Timeline;
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
 * Reads {@code tickets.events} in batches. Per batch: records that are not usable ticket events go
 * to {@code tickets.events.dlq} with the reason; the rest are applied in one transaction, each
 * evaluated right after it in event time ({@link Timeline}). The batch's offsets are acknowledged
 * only after that transaction has committed. A database that is away is waited for, with backoff:
 * good events are never dead-lettered for an outage. An event the database refuses for good is
 * isolated from its batch and dead-lettered with the reason, so no single record stops the stream.
 */
@ApplicationScoped
public class TicketEventConsumer {

    public static final String CHANNEL = "tickets-in";
    public static final String DLQ_CHANNEL = "tickets-dlq";


    private final Backlog backlog;
    private final DatabaseProbe database;
    private final EvaluationService evaluation;
    private final MeterRegistry registry;
    private final MutinyEmitter<byte[]> deadLetters;
    private final ObjectMapper json;
    private final Timer lag;
    private final Timer batchTime;

    TicketEventConsumer(EvaluationService evaluation, Backlog backlog, MeterRegistry registry,
            @Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters, ObjectMapper json, DatabaseProbe database) {
        this.database = database;
        this.json = json;
        this.backlog = backlog;
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
        List<ConsumerRecord<String, TicketEvent>> usable = new ArrayList<>(batch.count());
        List<Uni<Void>> setAside = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, TicketEvent> record : batch) {
            oldest = Math.min(oldest, record.timestamp());
            String problem = problem(record);
            if (problem == null) {
                usable.add(record);
            } else {
                setAside.add(deadLetter(record, problem));
            }
        }
        awaitDeadLetters(setAside);
        backlog.consumed(oldest);
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

    /** The dead letters must be safe before the batch's offsets move past them. */
    private void awaitDeadLetters(List<Uni<Void>> setAside) {
        if (!setAside.isEmpty()) {
            Uni.join().all(setAside).andFailFast().await().atMost(Duration.ofSeconds(30));
            registry.counter("beacon.engine.ticket.events", "outcome", "dead_lettered").increment(setAside.size());
        }
    }

    /**
     * The batch in one transaction. If the database refuses it for a reason retrying cannot cure (a
     * value it will not store), the batch is applied again one event at a time, in order, and only
     * the event the database refuses is set aside with the reason: the stream goes on.
     */
    private void applyUntilCommitted(List<ConsumerRecord<String, TicketEvent>> records) throws InterruptedException {
        List<EvaluationService.TimedEvent> events = records.stream().map(TicketEventConsumer::timed).toList();
        UntilCommitted.Outcome<Map<EvaluationService.Outcome, Integer>> batch = UntilCommitted.callUnlessPermanent(
                "a batch of " + events.size() + " ticket events", () -> apply(events), this::retried, database::reachable);
        if (batch.stored()) {
            count(batch.value());
            return;
        }
        for (ConsumerRecord<String, TicketEvent> record : records) {
            UntilCommitted.Outcome<Map<EvaluationService.Outcome, Integer>> one = UntilCommitted.callUnlessPermanent(
                    "ticket event " + record.value().eventId(), () -> apply(List.of(timed(record))), this::retried,
                    database::reachable);
            if (one.stored()) {
                count(one.value());
            } else {
                awaitDeadLetters(List.of(deadLetter(record, "the database refused the event: "
                        + Failures.rootMessage(one.permanentFailure()))));
            }
        }
    }

    private void retried() {
        registry.counter("beacon.engine.batch.retries").increment();
    }

    private void count(Map<EvaluationService.Outcome, Integer> applied) {
        applied.forEach((outcome, n) -> registry.counter("beacon.engine.ticket.events", "outcome",
                outcome.name().toLowerCase()).increment(n));
    }

    private Map<EvaluationService.Outcome, Integer> apply(List<EvaluationService.TimedEvent> events) {
        return evaluation.apply(events);
    }

    private static EvaluationService.TimedEvent timed(ConsumerRecord<String, TicketEvent> record) {
        return new EvaluationService.TimedEvent(record.value(), Timeline.eventTime(record.value(), record.timestamp()));
    }

    /** @return why the record cannot be used ({@link RecordChecks}), or null when it can */
    public static String problem(ConsumerRecord<String, TicketEvent> record) {
        return RecordChecks.problem(record, "ticket event", ContractChecks::ticketEvent, TicketEvent::accountId);
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, TicketEvent> record, String reason) {
        return deadLetters.sendMessage(DeadLetters.message(record, Topics.TICKETS_EVENTS_DLQ, reason,
                DeadLetters.asJson(json, record)));
    }
}
