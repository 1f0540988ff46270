package io.beacon.ingest.service;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.domain.RejectedEvent;
import io.beacon.platform.rest.Problem.FieldError;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Keeps the events Beacon refused, so integrators can look up why. */
@ApplicationScoped
public class RejectionLog {

    @Transactional
    public void record(TicketEvent event, List<FieldError> errors, String payload) {
        RejectedEvent rejected = new RejectedEvent();
        rejected.receivedAt = Instant.now();
        if (event != null) {
            rejected.source = event.source() == null ? null : event.source().wire();
            rejected.eventId = event.eventId();
            rejected.accountId = event.accountId();
        }
        rejected.reason = errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
        rejected.payload = payload;
        rejected.persist();
    }

    @Transactional
    public List<RejectedEvent> latest(int limit) {
        return RejectedEvent.<RejectedEvent> findAll(Sort.descending("receivedAt", "id")).page(0, limit).list();
    }
}
