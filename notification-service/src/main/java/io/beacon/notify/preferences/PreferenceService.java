package io.beacon.notify.preferences;

import io.beacon.platform.errors.Refusal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent.Priority;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.delivery.Channel;
import io.beacon.platform.rest.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Reads and stores recipients' preferences; a recipient without a row gets the configured defaults. */
@ApplicationScoped
public class PreferenceService {

    private static final TypeReference<Map<Channel, Map<Priority, Mode>>> CHANNELS = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final Preferences defaults;

    PreferenceService(ObjectMapper json, NotifyConfig config) {
        this.json = json;
        this.defaults = Preferences.defaults(ZoneId.of(config.defaults().timeZone()),
                LocalTime.parse(config.defaults().digestAt()));
    }

    /** What a client sends and gets back; times are local {@code HH:mm} in {@code timeZone}. */
    public record View(String timeZone, QuietHours quietHours, String digestAt,
            Map<Channel, Map<Priority, Mode>> channels) {

        public record QuietHours(String start, String end) {
        }
    }

    @Transactional
    public Preferences of(String recipientId) {
        Preference row = Preference.findById(recipientId);
        if (row == null) {
            return defaults;
        }
        return new Preferences(ZoneId.of(row.timeZone), row.quietStart, row.quietEnd, row.digestAt, channels(row));
    }

    @Transactional
    public View view(String recipientId) {
        return toView(of(recipientId));
    }

    /** Validates and stores; an invalid view is refused as a whole with every problem named. */
    @Transactional
    public View save(String recipientId, View view) {
        Preferences checked = validate(view);
        Preference row = Preference.findById(recipientId);
        if (row == null) {
            row = new Preference();
            row.recipientId = recipientId;
        }
        row.timeZone = checked.timeZone().getId();
        row.quietStart = checked.quietStart();
        row.quietEnd = checked.quietEnd();
        row.digestAt = checked.digestAt();
        row.channels = write(checked.channels());
        row.updatedAt = Instant.now();
        row.persist();
        return toView(checked);
    }

    Preferences validate(View view) {
        List<Problem.FieldError> errors = new ArrayList<>();
        ZoneId zone = defaults.timeZone();
        if (view.timeZone() != null) {
            try {
                zone = ZoneId.of(view.timeZone());
            } catch (DateTimeException e) {
                errors.add(new Problem.FieldError("timeZone", "unknown time zone '" + view.timeZone()
                        + "' (use a region id such as Europe/Berlin)"));
            }
        }
        LocalTime digestAt = view.digestAt() == null ? defaults.digestAt() : time("digestAt", view.digestAt(), errors);
        LocalTime quietStart = null;
        LocalTime quietEnd = null;
        if (view.quietHours() != null) {
            quietStart = time("quietHours.start", view.quietHours().start(), errors);
            quietEnd = time("quietHours.end", view.quietHours().end(), errors);
        }
        Map<Channel, Map<Priority, Mode>> channels = new EnumMap<>(Channel.class);
        if (view.channels() != null) {
            view.channels().forEach((channel, modes) -> {
                if (channel == Channel.INBOX) {
                    errors.add(new Problem.FieldError("channels.INBOX",
                            "the inbox always records every notification; only EMAIL and WEBHOOK can be set"));
                } else if (modes != null) {
                    channels.put(channel, modes);
                }
            });
        }
        if (!errors.isEmpty()) {
            throw Refusal.invalid("The preferences have " + errors.size() + " invalid field(s).",
                    errors.stream().map(e -> new Refusal.Field(e.field(), e.message())).toList());
        }
        return new Preferences(zone, quietStart, quietEnd, digestAt, channels);
    }

    private static LocalTime time(String field, String value, List<Problem.FieldError> errors) {
        if (value == null) {
            errors.add(new Problem.FieldError(field, "must be a time of day as HH:mm"));
            return null;
        }
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "'" + value + "' is not a time of day as HH:mm"));
            return null;
        }
    }

    private static View toView(Preferences p) {
        return new View(p.timeZone().getId(),
                p.hasQuietHours() ? new View.QuietHours(p.quietStart().toString(), p.quietEnd().toString()) : null,
                p.digestAt().toString(), p.channels());
    }

    private Map<Channel, Map<Priority, Mode>> channels(Preference row) {
        try {
            return json.readValue(row.channels, CHANNELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored preferences of " + row.recipientId + " are unreadable", e);
        }
    }

    private String write(Map<Channel, Map<Priority, Mode>> channels) {
        try {
            return json.writeValueAsString(channels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
