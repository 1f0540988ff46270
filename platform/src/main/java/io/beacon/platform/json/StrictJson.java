package io.beacon.platform.json;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * JSON is read strictly in every service, from HTTP and from Kafka alike: a document followed by
 * anything but whitespace is refused rather than read up to its first value, an object that names a
 * field twice (which copy would count is a guess), and an instant written as a number.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Last, after Quarkus has registered its own modules: the instant deserializer below must win. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.registerModule(new SimpleModule("beacon-strict-instants").addDeserializer(Instant.class,
                new IsoInstants()));
    }

    /**
     * Instants are ISO-8601 strings on Beacon's wire. Jackson would also take a number of seconds,
     * and silently wraps one too large for a long ({@code 1e400} becomes 1970): refuse numbers.
     */
    static final class IsoInstants extends StdScalarDeserializer<Instant> {

        IsoInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser.currentToken(), parser,
                        "expected an ISO-8601 instant such as \"2026-11-30T09:00:00Z\"");
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }
}
