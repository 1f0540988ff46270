package io.beacon.engine.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.service.EvaluationService;
import io.beacon.engine.service.TicketStateService;
import io.beacon.platform.kafka.IncomingRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Reads {@code tickets.events}. The offset is acknowledged only after the state change has
 * committed; a record that fails goes to {@code tickets.events.dlq} with its reason.
 */
@ApplicationScoped
public class TicketEventConsumer {

    public static final String CHANNEL = "tickets-in";

    private static final Logger LOG = Logger.getLogger(TicketEventConsumer.class);

    private final TicketStateService tickets;
    private final EvaluationService evaluation;
    private final MeterRegistry registry;

    TicketEventConsumer(TicketStateService tickets, EvaluationService evaluation, MeterRegistry registry) {
        this.tickets = tickets;
        this.evaluation = evaluation;
        this.registry = registry;
    }

    /** Ticket state, evaluation and the resulting CTA changes commit together, or not at all. */
    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    @Transactional
    public void consume(ConsumerRecord<String, TicketEvent> record) {
        TicketEvent event = IncomingRecords.valueOrFail(record, "ticket event");
        if (event.eventId() == null || event.accountId() == null || event.ticket() == null
                || event.ticket().id() == null || event.ticket().updatedAt() == null
                || event.ticket().status() == null) {
            throw new IllegalArgumentException("ticket event lacks eventId, accountId or ticket id/status/updatedAt");
        }
        TicketStateService.Outcome outcome = tickets.apply(event);
        if (outcome == TicketStateService.Outcome.APPLIED) {
            evaluation.evaluate(event.accountId());
        }
        registry.counter("beacon.engine.ticket.events", "outcome", outcome.name().toLowerCase()).increment();
        LOG.debugf("ticket event %s for %s: %s", event.eventId(), event.accountId(), outcome);
    }
}
