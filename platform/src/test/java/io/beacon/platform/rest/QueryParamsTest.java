package io.beacon.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import jakarta.ws.rs.WebApplicationException;

class QueryParamsTest {

    enum Color {
        RED, GREEN
    }

    private static Problem problem(Runnable read) {
        try {
            read.run();
        } catch (WebApplicationException e) {
            assertThat(e.getResponse().getStatus()).isEqualTo(400);
            return (Problem) e.getResponse().getEntity();
        }
        throw new AssertionError("no 400");
    }

    @Test
    void absentParametersTakeTheirDefaults() {
        assertThat(QueryParams.integer("size", null, 50, 1, 500)).isEqualTo(50);
        assertThat(QueryParams.bool("escalated", "")).isNull();
        assertThat(QueryParams.enumValue("color", null, Color.class)).isNull();
    }

    @Test
    void valuesAreReadInAnyCase() {
        assertThat(QueryParams.bool("escalated", "TRUE")).isTrue();
        assertThat(QueryParams.enumValue("color", "green", Color.class)).isEqualTo(Color.GREEN);
        assertThat(QueryParams.oneOf("status", "open", List.of("OPEN", "CLOSED"))).isEqualTo("OPEN");
    }

    @Test
    void aWrongValueIsA400NamingTheParameterAndWhatItAccepts() {
        assertThat(problem(() -> QueryParams.integer("size", "abc", 50, 1, 500)).errors())
                .containsExactly(new Problem.FieldError("size", "must be a whole number from 1 to 500"));
        assertThat(problem(() -> QueryParams.integer("size", "501", 50, 1, 500)).detail()).contains("'501'");
        assertThat(problem(() -> QueryParams.bool("escalated", "maybe")).detail())
                .isEqualTo("Query parameter 'escalated' must be true or false; it was 'maybe'.");
        assertThat(problem(() -> QueryParams.enumValue("color", "BLUE", Color.class)).errors().get(0).message())
                .isEqualTo("must be one of RED, GREEN");
        assertThatThrownBy(() -> QueryParams.oneOf("status", "BOGUS", List.of("OPEN"))).isInstanceOf(WebApplicationException.class);
    }
}
