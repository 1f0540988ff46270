package io.beacon.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The engine's arithmetic day boundary is the calendar's, for any instant (before 1970 and at midnight too). */
class DayBoundaryProperties {

    @Property(tries = 5000)
    void theNextDayStartIsTheCalendarsNextMidnight(@ForAll @LongRange(min = -4_000_000_000L, max = 8_000_000_000L) long seconds,
            @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Instant at = Instant.ofEpochSecond(seconds, nanos);
        Instant calendar = LocalDate.ofInstant(at, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(Timeline.nextDayStart(at)).isEqualTo(calendar);
    }

    @Property(tries = 200)
    void aMidnightItselfIsFollowedByTheNextOne(@ForAll @LongRange(min = -40_000, max = 80_000) long day) {
        Instant midnight = Instant.ofEpochSecond(day * 86_400);
        assertThat(Timeline.nextDayStart(midnight)).isEqualTo(midnight.plusSeconds(86_400));
    }
}
