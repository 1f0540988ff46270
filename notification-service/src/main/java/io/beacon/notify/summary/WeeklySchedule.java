package io.beacon.notify.summary;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * When a weekly summary is due: a day of the week and a local time in the recipient's time zone.
 * Where a clock change skips the local time, it is due at the first instant after the gap.
 */
public record WeeklySchedule(DayOfWeek day, LocalTime at) {

    /** The latest instant at or before {@code now} at which a summary fell due in {@code zone}. */
    public ZonedDateTime latestDue(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate date = local.toLocalDate().with(TemporalAdjusters.previousOrSame(day));
        ZonedDateTime due = date.atTime(at).atZone(zone);
        return due.toInstant().isAfter(now) ? date.minusWeeks(1).atTime(at).atZone(zone) : due;
    }

    /** The week a summary due at {@code due} covers: the seven days (in that zone) before it. */
    public static ZonedDateTime weekStart(ZonedDateTime due) {
        return due.minusWeeks(1);
    }
}
