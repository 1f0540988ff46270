package io.beacon.engine.tickets;

import io.beacon.contracts.TicketEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class TicketEventDeserializer extends ObjectMapperDeserializer<TicketEvent> {

    public TicketEventDeserializer() {
        super(TicketEvent.class);
    }
}
