package io.beacon.ingest.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.beacon.contracts.ContractChecks;
import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.config.IngestConfig;
import io.beacon.platform.rest.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The rules an event must meet before Beacon accepts it; each broken rule names its field. */
@ApplicationScoped
public class TicketEventValidator {

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

    /** The contract's limits (see {@link ContractChecks}), and no time in the future beyond the allowed skew. */
    public List<FieldError> validate(TicketEvent event) {
        List<FieldError> errors = new ArrayList<>();
        ContractChecks.ticketEvent(event).forEach(v -> errors.add(new FieldError(v.field(),
                v.field().isEmpty() ? "the body must be a ticket event object" : v.message())));
        if (event == null) {
            return errors;
        }
        if (event.ticket() != null) {
            notInFuture(errors, "ticket.createdAt", event.ticket().createdAt());
            notInFuture(errors, "ticket.updatedAt", event.ticket().updatedAt());
        }
        notInFuture(errors, "occurredAt", event.occurredAt());
        return errors;
    }

    private void notInFuture(List<FieldError> errors, String field, Instant value) {
        Instant limit = clock.instant().plus(config.maxClockSkew());
        if (value != null && value.isAfter(limit) && !value.isAfter(ContractChecks.LATEST)) {
            errors.add(new FieldError(field, "lies in the future (" + value + "); clocks may differ by at most "
                    + config.maxClockSkew().toMinutes() + " minutes"));
        }
    }
}
