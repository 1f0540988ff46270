package io.beacon.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

class StrictJsonTest {

    record At(Instant at) {
    }

    /** As Quarkus builds it: its modules first, then the customizers by priority (ours last). */
    private final ObjectMapper json = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        new StrictJson().customize(mapper);
        return mapper;
    }

    @Test
    void instantsAreReadFromIsoStringsAndFromSecondsAsJacksonWritesThem() throws Exception {
        Instant at = Instant.parse("2026-11-30T09:00:00.123456789Z");
        assertThat(json.readValue("{\"at\":\"2026-11-30T09:00:00.123456789Z\"}", At.class).at()).isEqualTo(at);
        assertThat(json.readValue(new ObjectMapper().findAndRegisterModules().writeValueAsString(new At(at)), At.class)
                .at()).isEqualTo(at);
    }

    @Test
    void aNumberTooLargeToBeATimeIsRefusedInsteadOfWrappingTo1970() {
        assertThatThrownBy(() -> json.readValue("{\"at\":1e400}", At.class)).isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("too large a number to be a time");
        assertThatThrownBy(() -> json.readValue("{\"at\":[2026,11,30]}", At.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("ISO-8601");
    }

    @Test
    void aDocumentFollowedByAnythingOrNamingAFieldTwiceIsRefused() {
        assertThatThrownBy(() -> json.readValue("{\"at\":\"2026-11-30T09:00:00Z\"} x", At.class))
                .hasMessageContaining("Unrecognized token");
        assertThatThrownBy(() -> json.readValue("{\"at\":\"2026-11-30T09:00:00Z\",\"at\":\"2026-11-30T09:00:00Z\"}",
                At.class)).hasMessageContaining("Duplicate field 'at'");
    }
}
