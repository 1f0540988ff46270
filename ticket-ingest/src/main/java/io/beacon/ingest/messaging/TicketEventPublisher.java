package io.beacon.ingest.messaging;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.TicketEvent;
import io.beacon.platform.kafka.CloudEventRecords;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes accepted ticket events to {@code tickets.events}, keyed by account. */
@ApplicationScoped
public class TicketEventPublisher {

    public static final String CHANNEL = "tickets-out";

    private final MutinyEmitter<TicketEvent> emitter;

    TicketEventPublisher(@Channel(CHANNEL) MutinyEmitter<TicketEvent> emitter) {
        this.emitter = emitter;
    }

    /** Completes once Kafka has acknowledged the record (acks=all), fails if it could not. */
    public Uni<Void> publish(TicketEvent event) {
        return publish(event, null);
    }

    /**
     * @param origin the source name of the API key that sent the event, kept in the record's CloudEvent
     *        source ({@code /beacon/ticket-ingest/<source>/<origin>}); null when a token or a desk adapter sent it
     */
    public Uni<Void> publish(TicketEvent event, String origin) {
        return emitter.sendMessage(CloudEventRecords.message(event, event.accountId(), event.eventId(),
                CloudEventHeaders.TYPE_TICKET_EVENT, "/beacon/ticket-ingest/" + event.source().wire()
                        + (origin == null ? "" : "/" + origin),
                event.ticket().id(), event.occurredAt()));
    }
}
