package io.beacon.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SegmentTest {

    @ParameterizedTest(name = "{0} employees -> {1}")
    @CsvSource({
            "0, MERCURY", "9, MERCURY", "10, MERCURY", "99, MERCURY",
            "100, MARS", "399, MARS",
            "400, VENUS", "2999, VENUS",
            "3000, JUPITER", "250000, JUPITER" })
    void derivesSegmentAtEachBoundary(int employees, Segment expected) {
        assertThat(Segment.forEmployees(employees)).isEqualTo(expected);
    }

    @Test
    void rejectsNegativeEmployeeCounts() {
        assertThatThrownBy(() -> Segment.forEmployees(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }
}
