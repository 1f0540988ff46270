package io.beacon.platform.json;

import java.io.IOException;
import java.math.BigDecimal;
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
 * field twice (which copy would count is a guess), and an instant written as a number too large to
 * be one.
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
     * Instants are ISO-8601 strings on Beacon's wire, and Jackson's default for numbers (seconds since
     * 1970, as a plain ObjectMapper writes them) is taken too. But Jackson silently wraps a number too
     * large for a long ({@code 1e400} became 1970-01-01), so such a number is refused here; the range
     * itself is the contract's business (ContractChecks).
     */
    static final class IsoInstants extends StdScalarDeserializer<Instant> {

        /** Far beyond year 9999 in seconds, far inside a long in nanoseconds' worth of digits. */
        private static final BigDecimal LIMIT = new BigDecimal("1e12");

        IsoInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                BigDecimal number = parser.getDecimalValue();
                if (number.abs().compareTo(LIMIT.multiply(token == JsonToken.VALUE_NUMBER_INT ? THOUSAND : BigDecimal.ONE)) > 0) {
                    return (Instant) context.handleWeirdNumberValue(Instant.class, number,
                            "is too large a number to be a time; send an ISO-8601 instant such as \"2026-11-30T09:00:00Z\"");
                }
                return InstantDeserializer.INSTANT.deserialize(parser, context);
            }
            if (token != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, token, parser,
                        "expected an ISO-8601 instant such as \"2026-11-30T09:00:00Z\"");
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }

        private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    }
}
