package io.beacon.notify.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** When a weekly summary falls due, for any instant, time zone (clock changes included), day and time. */
class WeeklyScheduleProperties {

    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

    @Property(tries = 2000)
    void theLatestDueInstantIsTheConfiguredDayAndTimeInTheZone_atMostAWeekAgo(@ForAll("instants") Instant now,
            @ForAll("zones") ZoneId zone, @ForAll DayOfWeek day, @ForAll("times") LocalTime at) {
        ZonedDateTime due = new WeeklySchedule(day, at).latestDue(now, zone);

        assertThat(due.toInstant()).isBeforeOrEqualTo(now);
        // The day and time asked for, or where a clock change skipped that local time, the first instant after it.
        LocalDateTime intended = (due.getDayOfWeek() == day ? due.toLocalDate() : due.toLocalDate().minusDays(1)).atTime(at);
        assertThat(intended.getDayOfWeek()).isEqualTo(day);
        assertThat(due.toLocalDateTime().equals(intended) || zone.getRules().getValidOffsets(intended).isEmpty()).isTrue();
        // Nothing due between it and now: the next one is after now.
        ZonedDateTime next = new WeeklySchedule(day, at).latestDue(due.plusWeeks(1).toInstant(), zone);
        assertThat(next.toInstant()).isAfter(now);
        assertThat(Duration.between(due.toInstant(), now)).isLessThan(Duration.ofDays(7).plusHours(3));
    }

    @Property(tries = 500)
    void theWeekItCoversEndsWhereItFallsDue_andStartsOneLocalWeekEarlier(@ForAll("instants") Instant now,
            @ForAll("zones") ZoneId zone) {
        ZonedDateTime due = new WeeklySchedule(DayOfWeek.MONDAY, LocalTime.of(8, 0)).latestDue(now, zone);
        ZonedDateTime start = WeeklySchedule.weekStart(due);
        assertThat(start.toLocalDate()).isEqualTo(due.toLocalDate().minusWeeks(1));
        assertThat(start.toInstant()).isBefore(due.toInstant());
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2040-01-01T00:00:00Z").getEpochSecond()).map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES).map(ZoneId::of);
    }

    @Provide
    Arbitrary<LocalTime> times() {
        return Arbitraries.integers().between(0, 24 * 60 - 1).map(m -> LocalTime.of(m / 60, m % 60));
    }
}
