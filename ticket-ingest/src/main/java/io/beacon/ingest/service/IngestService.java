package io.beacon.ingest.service;

import io.beacon.platform.errors.Refusal;
import io.beacon.platform.errors.Unavailable;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.config.IngestConfig;
import io.beacon.ingest.messaging.TicketEventPublisher;
import io.beacon.platform.rest.JsonErrors;
import io.beacon.platform.rest.Problem.FieldError;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Accepts ticket events: read, validate, publish, and only then say yes. Refused events are
 * recorded with the reason; an event Kafka did not acknowledge is never reported accepted.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final ObjectMapper json;
    private final TicketEventValidator validator;
    private final TicketEventPublisher publisher;
    private final RejectionLog rejections;
    private final IngestConfig config;
    private final MeterRegistry registry;
    private final Timer publishLatency;

    IngestService(ObjectMapper json, TicketEventValidator validator, TicketEventPublisher publisher,
            RejectionLog rejections, IngestConfig config, MeterRegistry registry) {
        this.json = json;
        this.validator = validator;
        this.publisher = publisher;
        this.rejections = rejections;
        this.config = config;
        this.registry = registry;
        this.publishLatency = Timer.builder("beacon.ingest.publish.latency")
                .description("Time from handing events to Kafka to their acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Reads a body holding one event (an object) or a batch (an array of objects). */
    public JsonNode read(String body) throws JsonProcessingException {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            FieldError error = JsonErrors.fieldError(e);
            reject(null, List.of(error), truncate(body));
            throw e;
        }
    }

    /** One event: accepted (its id is returned), or refused with a 400 naming every bad field. */
    public String acceptOne(JsonNode node) {
        return acceptOne(node, null);
    }

    /** @param origin the name of the source whose API key sent the event (null: a token or a desk adapter) */
    public String acceptOne(JsonNode node, String origin) {
        IngestResult result = accept(List.of(node), origin);
        if (!result.rejected().isEmpty()) {
            List<FieldError> errors = result.rejected().get(0).errors();
            throw Refusal.invalid(describe(errors), fields(errors));
        }
        return result.accepted().get(0);
    }

    /**
     * A batch: good events are published even when others are refused. If Kafka fails to take any
     * of them, the whole request fails with 503; resending it is safe, as consumers ignore event ids
     * they have already seen.
     */
    public IngestResult acceptBatch(JsonNode array) {
        return acceptBatch(array, null);
    }

    public IngestResult acceptBatch(JsonNode array, String origin) {
        if (array.size() == 0) {
            throw Refusal.invalid(null, "The batch is empty.");
        }
        if (array.size() > config.maxBatchSize()) {
            throw Refusal.tooLarge("The batch holds " + array.size() + " events; at most " + config.maxBatchSize()
                    + " are allowed per request.");
        }
        List<JsonNode> nodes = new ArrayList<>(array.size());
        array.forEach(nodes::add);
        return accept(nodes, origin);
    }

    /** An event already mapped from a source's native format (e.g. a Zendesk webhook). */
    public TicketEvent acceptMapped(TicketEvent event, String originalPayload) {
        publishAll(List.of(validateMapped(event, originalPayload)), null);
        return event;
    }

    /** Refuses (and records) a mapped event that is not valid; @return the event when it is */
    public TicketEvent validateMapped(TicketEvent event, String originalPayload) {
        List<FieldError> errors = validator.validate(event);
        if (!errors.isEmpty()) {
            reject(event, errors, truncate(originalPayload));
            throw Refusal.invalid(describe(errors), fields(errors));
        }
        return event;
    }

    private IngestResult accept(List<JsonNode> nodes, String origin) {
        List<TicketEvent> good = new ArrayList<>(nodes.size());
        List<IngestResult.Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            TicketEvent event = null;
            List<FieldError> errors;
            try {
                event = json.treeToValue(node, TicketEvent.class);
                errors = validator.validate(event);
            } catch (JsonProcessingException e) {
                errors = List.of(JsonErrors.fieldError(e));
            } catch (RuntimeException e) {
                // A value Jackson read but could not turn into a Java value (a number too large for an
                // instant, say) is the sender's problem, not ours.
                errors = List.of(new FieldError("", "The event could not be read: " + e.getMessage()));
            }
            if (errors.isEmpty()) {
                good.add(event);
            } else {
                String eventId = node.path("eventId").isTextual() ? node.get("eventId").asText() : null;
                rejected.add(new IngestResult.Rejected(i, eventId, errors));
                reject(event, errors, truncate(node.toString()));
            }
        }
        publishAll(good, origin);
        return new IngestResult(good.stream().map(TicketEvent::eventId).toList(), rejected);
    }

    private void publishAll(List<TicketEvent> events, String origin) {
        if (events.isEmpty()) {
            return;
        }
        Timer.Sample sample = Timer.start(registry);
        try {
            Uni.join().all(events.stream().map(e -> publisher.publish(e, origin)).toList()).andCollectFailures()
                    .await().atMost(config.publishTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("Kafka did not acknowledge %d event(s): %s", events.size(), e.getMessage());
            registry.counter("beacon.ingest.events.unavailable").increment(events.size());
            throw unavailable();
        }
        sample.stop(publishLatency);
        for (TicketEvent event : events) {
            registry.counter("beacon.ingest.events.accepted", "source", event.source().wire()).increment();
        }
    }

    private void reject(TicketEvent event, List<FieldError> errors, String payload) {
        String source = event != null && event.source() != null ? event.source().wire() : "unknown";
        String reason = errors.get(0).field().isEmpty() ? "malformed_json" : errors.get(0).field();
        registry.counter("beacon.ingest.events.rejected", "source", source, "reason", reason).increment();
        try {
            rejections.record(event, errors, payload);
        } catch (RuntimeException e) {
            // The caller still gets the precise error; the log of refusals is a convenience.
            LOG.warnf("Could not record a rejected event: %s", e.getMessage());
        }
    }

    private Unavailable unavailable() {
        return new Unavailable("Beacon cannot store events right now, so none of this request's events count as "
                + "accepted. Send the same request again after " + config.retryAfterSeconds()
                + " seconds; events already stored are recognised by their eventId and not counted twice.",
                config.retryAfterSeconds());
    }

    private static List<Refusal.Field> fields(List<FieldError> errors) {
        return errors.stream().map(e -> new Refusal.Field(e.field(), e.message())).toList();
    }

    private static String describe(List<FieldError> errors) {
        if (errors.size() == 1 && errors.get(0).field().isEmpty()) {
            return errors.get(0).message();
        }
        return "The ticket event has " + errors.size() + " invalid field(s): "
                + errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
    }

    private static String truncate(String payload) {
        return payload == null || payload.length() <= 16_384 ? payload : payload.substring(0, 16_384) + "…";
    }
}
