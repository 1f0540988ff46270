package io.beacon.notify.intake;

import io.beacon.contracts.CtaEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class CtaEventDeserializer extends ObjectMapperDeserializer<CtaEvent> {

    public CtaEventDeserializer() {
        super(CtaEvent.class);
    }
}
