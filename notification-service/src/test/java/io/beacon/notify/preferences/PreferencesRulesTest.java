package io.beacon.notify.preferences;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.beacon.contracts.CtaEvent.Priority;
import io.beacon.notify.delivery.Channel;

class PreferencesRulesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Preferences quiet(String start, String end) {
        return new Preferences(BERLIN, LocalTime.parse(start), LocalTime.parse(end), LocalTime.of(8, 0), Map.of());
    }

    @Test
    void quietHoursThatWrapMidnightHoldUntilTheMorning() {
        Preferences prefs = quiet("22:00", "07:00");
        Instant lateEvening = Instant.parse("2026-11-23T22:30:00Z"); // 23:30 in Berlin
        assertThat(prefs.inQuietHours(lateEvening)).isTrue();
        assertThat(prefs.quietHoursOver(lateEvening)).isEqualTo(Instant.parse("2026-11-24T06:00:00Z"));
        Instant earlyMorning = Instant.parse("2026-11-24T04:00:00Z"); // 05:00
        assertThat(prefs.quietHoursOver(earlyMorning)).isEqualTo(Instant.parse("2026-11-24T06:00:00Z"));
        Instant afternoon = Instant.parse("2026-11-24T13:00:00Z");
        assertThat(prefs.inQuietHours(afternoon)).isFalse();
        assertThat(prefs.quietHoursOver(afternoon)).isEqualTo(afternoon);
    }

    @Test
    void quietHoursFollowTheRecipientsTimeZoneAcrossADaylightSavingChange() {
        Preferences prefs = quiet("22:00", "07:00");
        // Night of 28/29 March 2026: Berlin moves from UTC+1 to UTC+2, so 07:00 local is 05:00 UTC.
        Instant night = Instant.parse("2026-03-28T23:30:00Z");
        assertThat(prefs.quietHoursOver(night)).isEqualTo(Instant.parse("2026-03-29T05:00:00Z"));
    }

    @Test
    void theEndOfQuietHoursIsNotQuiet() {
        Preferences prefs = quiet("12:00", "13:00");
        assertThat(prefs.inQuietHours(Instant.parse("2026-11-23T11:00:00Z"))).isTrue(); // 12:00 Berlin
        assertThat(prefs.inQuietHours(Instant.parse("2026-11-23T12:00:00Z"))).isFalse(); // 13:00 Berlin
    }

    @Test
    void theDigestIsDueOnceItsLocalTimeHasCome() {
        Preferences prefs = new Preferences(BERLIN, null, null, LocalTime.of(8, 0), Map.of());
        assertThat(prefs.digestDue(Instant.parse("2026-11-23T06:59:00Z"))).isFalse(); // 07:59
        assertThat(prefs.digestDue(Instant.parse("2026-11-23T07:00:00Z"))).isTrue();
        assertThat(prefs.localDate(Instant.parse("2026-11-23T23:30:00Z")).toString()).isEqualTo("2026-11-24");
    }

    @Test
    void missingModesFallBackToTheDefaultsAndTheInboxIsAlwaysImmediate() {
        Preferences prefs = new Preferences(BERLIN, null, null, LocalTime.of(8, 0),
                Map.of(Channel.EMAIL, Map.of(Priority.HIGH, Mode.DIGEST)));
        assertThat(prefs.mode(Channel.EMAIL, Priority.HIGH)).isEqualTo(Mode.DIGEST);
        assertThat(prefs.mode(Channel.EMAIL, Priority.CRITICAL)).isEqualTo(Mode.IMMEDIATE);
        assertThat(prefs.mode(Channel.EMAIL, Priority.LOW)).isEqualTo(Mode.DIGEST);
        assertThat(prefs.mode(Channel.WEBHOOK, null)).isEqualTo(Mode.IMMEDIATE);
        assertThat(prefs.mode(Channel.INBOX, Priority.LOW)).isEqualTo(Mode.IMMEDIATE);
    }
}
