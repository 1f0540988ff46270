package io.beacon.ingest.adapter;

import java.util.List;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.accounts.ExternalIds;
import io.beacon.ingest.parking.ParkedEvents;
import io.beacon.ingest.parking.Releaser;
import io.beacon.ingest.service.IngestResult;
import io.beacon.ingest.service.IngestService;
import io.beacon.ingest.service.RejectionLog;
import io.beacon.platform.rest.Problem;
import jakarta.ws.rs.WebApplicationException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What every desk adapter does with an event it mapped: find the account that carries the ticket's
 * organisation (an explicit mapping, else account-service's external ids), publish the event under
 * it, or — when no account carries the organisation yet, or the organisation's earlier events still
 * wait — park it, so that nothing is invented and the organisation's events reach its account in the
 * order they came.
 */
@ApplicationScoped
public class DeskIntake {

    /** Stands in for the account while it is not known, so that the rest of the event can be validated. */
    public static final String UNRESOLVED = "unresolved";

    private final IngestService ingest;
    private final ExternalIds externalIds;
    private final ParkedEvents parked;
    private final Releaser releaser;
    private final MeterRegistry registry;
    private final RejectionLog rejections;

    DeskIntake(IngestService ingest, ExternalIds externalIds, ParkedEvents parked, Releaser releaser,
            MeterRegistry registry, RejectionLog rejections) {
        this.ingest = ingest;
        this.rejections = rejections;
        this.externalIds = externalIds;
        this.parked = parked;
        this.releaser = releaser;
        this.registry = registry;
    }

    /**
     * A desk's payload that cannot become a ticket event (the mapper's reason reads {@code field: why}):
     * recorded with the refused events and answered 422 naming the field.
     */
    public WebApplicationException unmappable(String desk, IllegalArgumentException e, String body) {
        int colon = e.getMessage().indexOf(':');
        Problem.FieldError error = colon > 0
                ? new Problem.FieldError(e.getMessage().substring(0, colon), e.getMessage().substring(colon + 1).trim())
                : new Problem.FieldError("", e.getMessage());
        rejections.record(null, List.of(error), body);
        registry.counter("beacon.ingest.webhook.refused", "source", desk, "reason", "unmappable").increment();
        return new WebApplicationException(Problem.unprocessable(
                "This " + desk + " event cannot become a Beacon ticket event: " + e.getMessage(), List.of(error))
                .toResponse());
    }

    /**
     * @param source the desk's name among account external ids ({@code zendesk}, {@code freshdesk}, {@code jsm})
     * @param configuredAccount the account an explicit mapping gives the organisation, or null
     * @param event the mapped event, its account {@link #UNRESOLVED}
     * @param body the request as received, kept with a refusal
     */
    public IngestResult accept(String source, String organizationId, String configuredAccount, TicketEvent event,
            String body) {
        String accountId = configuredAccount != null ? configuredAccount
                : externalIds.account(source, organizationId).orElse(null);
        if (accountId == null || parked.waiting(source, organizationId)) {
            TicketEvent valid = ingest.validateMapped(event, body);
            parked.park(source, organizationId, valid);
            registry.counter("beacon.ingest.parked", "source", source).increment();
            if (accountId != null) {
                releaser.trigger();
            }
            return new IngestResult(List.of(valid.eventId()), List.of(), List.of(valid.eventId()));
        }
        String eventId = ingest.acceptMapped(ParkedEvents.withAccount(event, accountId), body).eventId();
        return new IngestResult(List.of(eventId), List.of());
    }
}
