package io.beacon.engine.commands;

import io.beacon.contracts.CtaCommand;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class CtaCommandDeserializer extends ObjectMapperDeserializer<CtaCommand> {

    public CtaCommandDeserializer() {
        super(CtaCommand.class);
    }
}
