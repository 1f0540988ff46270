package io.beacon.notify.preferences;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.Map;

import io.beacon.contracts.CtaEvent.Priority;
import io.beacon.notify.delivery.Channel;

/**
 * A recipient's preferences, resolved: a mode per channel and CTA priority, quiet hours and the
 * digest time, all in the recipient's own time zone. The inbox is not configurable: it records
 * everything, so nothing depends on a preference to be findable.
 *
 * @param quietStart start of quiet hours (local), or null for none; the window may wrap midnight
 */
public record Preferences(ZoneId timeZone, LocalTime quietStart, LocalTime quietEnd, LocalTime digestAt,
        Map<Channel, Map<Priority, Mode>> channels) {

    /** Channels whose use a recipient chooses. */
    public static final Channel[] CONFIGURABLE = { Channel.EMAIL, Channel.WEBHOOK };

    public Preferences {
        Map<Channel, Map<Priority, Mode>> complete = new EnumMap<>(Channel.class);
        for (Channel channel : CONFIGURABLE) {
            Map<Priority, Mode> modes = new EnumMap<>(Priority.class);
            for (Priority priority : Priority.values()) {
                Map<Priority, Mode> given = channels == null ? null : channels.get(channel);
                Mode mode = given == null ? null : given.get(priority);
                modes.put(priority, mode != null ? mode : defaultMode(channel, priority));
            }
            complete.put(channel, Map.copyOf(modes));
        }
        channels = Map.copyOf(complete);
        if (quietStart != null && quietStart.equals(quietEnd)) {
            quietStart = null;
            quietEnd = null;
        }
    }

    public static Preferences defaults(ZoneId timeZone, LocalTime digestAt) {
        return new Preferences(timeZone, null, null, digestAt, Map.of());
    }

    /**
     * E-mail: high and critical at once, the rest in the daily digest (a CSM reads mail; a flood of
     * low-priority mail is how notifications get ignored). Chat: everything at once.
     */
    static Mode defaultMode(Channel channel, Priority priority) {
        if (channel == Channel.EMAIL && (priority == Priority.LOW || priority == Priority.MEDIUM)) {
            return Mode.DIGEST;
        }
        return Mode.IMMEDIATE;
    }

    public Mode mode(Channel channel, Priority priority) {
        if (channel == Channel.INBOX) {
            return Mode.IMMEDIATE;
        }
        return channels.get(channel).get(priority != null ? priority : Priority.MEDIUM);
    }

    public boolean hasQuietHours() {
        return quietStart != null && quietEnd != null;
    }

    public boolean inQuietHours(Instant at) {
        if (!hasQuietHours()) {
            return false;
        }
        LocalTime local = at.atZone(timeZone).toLocalTime();
        return quietStart.isBefore(quietEnd)
                ? !local.isBefore(quietStart) && local.isBefore(quietEnd)
                : !local.isBefore(quietStart) || local.isBefore(quietEnd);
    }

    /** When sending may resume: {@code at} itself outside quiet hours, else the end of the window. */
    public Instant quietHoursOver(Instant at) {
        if (!inQuietHours(at)) {
            return at;
        }
        ZonedDateTime local = at.atZone(timeZone);
        ZonedDateTime end = local.with(quietEnd).withSecond(0).withNano(0);
        if (!end.isAfter(local)) {
            end = end.plusDays(1).with(quietEnd);
        }
        return end.toInstant();
    }

    public LocalDate localDate(Instant at) {
        return at.atZone(timeZone).toLocalDate();
    }

    /** Whether today's digest (local date of {@code at}) is due: its time has come and it is not quiet. */
    public boolean digestDue(Instant at) {
        return !at.atZone(timeZone).toLocalTime().isBefore(digestAt) && !inQuietHours(at);
    }
}
