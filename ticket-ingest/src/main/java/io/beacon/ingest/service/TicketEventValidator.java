package io.beacon.ingest.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.config.IngestConfig;
import io.beacon.platform.rest.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The rules an event must meet before Beacon accepts it; each broken rule names its field. */
@ApplicationScoped
public class TicketEventValidator {

    private static final int MAX_ID_LENGTH = 200;

    private final IngestConfig config;
    private final Clock clock;

    @Inject
    TicketEventValidator(IngestConfig config) {
        this(config, Clock.systemUTC());
    }

    TicketEventValidator(IngestConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public List<FieldError> validate(TicketEvent event) {
        List<FieldError> errors = new ArrayList<>();
        if (event == null) {
            errors.add(new FieldError("", "the body must be a ticket event object"));
            return errors;
        }
        requireId(errors, "eventId", event.eventId());
        requireId(errors, "accountId", event.accountId());
        require(errors, "source", event.source());
        require(errors, "type", event.type());
        require(errors, "occurredAt", event.occurredAt());
        TicketEvent.Ticket ticket = event.ticket();
        if (ticket == null) {
            errors.add(new FieldError("ticket", "is required"));
        } else {
            requireId(errors, "ticket.id", ticket.id());
            require(errors, "ticket.status", ticket.status());
            require(errors, "ticket.updatedAt", ticket.updatedAt());
            notInFuture(errors, "ticket.createdAt", ticket.createdAt());
            notInFuture(errors, "ticket.updatedAt", ticket.updatedAt());
        }
        notInFuture(errors, "occurredAt", event.occurredAt());
        return errors;
    }

    private static void require(List<FieldError> errors, String field, Object value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        }
    }

    private static void requireId(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.length() > MAX_ID_LENGTH) {
            errors.add(new FieldError(field, "must be at most " + MAX_ID_LENGTH + " characters"));
        }
    }

    private void notInFuture(List<FieldError> errors, String field, Instant value) {
        Instant limit = clock.instant().plus(config.maxClockSkew());
        if (value != null && value.isAfter(limit)) {
            errors.add(new FieldError(field, "lies in the future (" + value + "); clocks may differ by at most "
                    + config.maxClockSkew().toMinutes() + " minutes"));
        }
    }
}
