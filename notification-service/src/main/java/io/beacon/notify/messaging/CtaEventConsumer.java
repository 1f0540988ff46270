package io.beacon.notify.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.beacon.contracts.CtaEvent;
import io.beacon.notify.service.InboxService;
import io.beacon.platform.kafka.IncomingRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads {@code ctas.events}; acknowledges after the inbox item has committed. */
@ApplicationScoped
public class CtaEventConsumer {

    public static final String CHANNEL = "ctas-in";

    private final InboxService inbox;
    private final MeterRegistry registry;

    CtaEventConsumer(InboxService inbox, MeterRegistry registry) {
        this.inbox = inbox;
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, CtaEvent> record) {
        CtaEvent event = IncomingRecords.valueOrFail(record, "CTA event");
        if (event.eventId() == null || event.ctaId() == null || event.accountId() == null || event.kind() == null) {
            throw new IllegalArgumentException("CTA event lacks eventId, ctaId, accountId or kind");
        }
        boolean created = inbox.deliver(event);
        registry.counter("beacon.notify.inbox.items", "outcome", created ? "delivered" : "duplicate").increment();
    }
}
