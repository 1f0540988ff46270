package io.beacon.ingest.service;

import java.util.List;
import java.util.concurrent.CompletionException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.config.IngestConfig;
import io.beacon.ingest.messaging.TicketEventPublisher;
import io.beacon.platform.rest.Problem;
import io.beacon.platform.rest.Problem.FieldError;
import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * Accepts a ticket event: parse, validate, publish, and only then say yes. An event that is
 * refused is recorded with the reason; an event Kafka did not acknowledge is never reported accepted.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final ObjectMapper json;
    private final TicketEventValidator validator;
    private final TicketEventPublisher publisher;
    private final RejectionLog rejections;
    private final IngestConfig config;

    IngestService(ObjectMapper json, TicketEventValidator validator, TicketEventPublisher publisher,
            RejectionLog rejections, IngestConfig config) {
        this.json = json;
        this.validator = validator;
        this.publisher = publisher;
        this.rejections = rejections;
        this.config = config;
    }

    public TicketEvent accept(String body) throws JsonProcessingException {
        TicketEvent event;
        try {
            event = json.readValue(body, TicketEvent.class);
        } catch (JsonProcessingException e) {
            rejections.record(null, List.of(new FieldError("", "unreadable JSON: " + e.getOriginalMessage())), body);
            throw e;
        }
        List<FieldError> errors = validator.validate(event);
        if (!errors.isEmpty()) {
            rejections.record(event, errors, body);
            throw new WebApplicationException(Problem.of(Status.BAD_REQUEST,
                    "The ticket event has " + errors.size() + " invalid field(s).", errors).toResponse());
        }
        publish(event);
        return event;
    }

    private void publish(TicketEvent event) {
        try {
            publisher.publish(event).await().atMost(config.publishTimeout());
        } catch (TimeoutException | CompletionException | IllegalStateException e) {
            LOG.warnf("Kafka did not take event %s: %s", event.eventId(), e.getMessage());
            throw unavailable();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Kafka did not take event %s", event.eventId());
            throw unavailable();
        }
    }

    private WebApplicationException unavailable() {
        Response response = Response.fromResponse(Problem.of(Status.SERVICE_UNAVAILABLE,
                "Beacon cannot store events right now; nothing was accepted. Retry after "
                        + config.retryAfterSeconds() + " seconds.")
                .toResponse()).header("Retry-After", config.retryAfterSeconds()).build();
        return new WebApplicationException(response);
    }
}
