package io.beacon.notify.summary;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.notify.accounts.CallerRecipient;
import io.beacon.notify.intake.Routing;
import io.beacon.notify.preferences.PreferenceService;
import io.beacon.platform.errors.Refusal;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The weekly executive summary: what this week's says, and when each executive gets theirs. */
@Path("/api/v1/weekly-summary")
@Tag(name = "Weekly summary")
@Produces(MediaType.APPLICATION_JSON)
public class WeeklySummaryResource {

    private final WeeklySummaries summaries;
    private final WeeklySummaryJob job;
    private final PreferenceService preferences;
    private final CallerRecipient me;
    private final Clock clock;

    WeeklySummaryResource(WeeklySummaries summaries, WeeklySummaryJob job, PreferenceService preferences,
            CallerRecipient me, Clock clock) {
        this.summaries = summaries;
        this.job = job;
        this.preferences = preferences;
        this.me = me;
        this.clock = clock;
    }

    @GET
    @RolesAllowed({ Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "The summary for the latest week that has ended, as it would be composed now",
            description = "The week ends at the configured day and time in `timeZone` (an IANA zone id; default: "
                    + "the caller's time zone).")
    public WeeklySummary current(@QueryParam("timeZone") String timeZone) {
        ZoneId zone = timeZone == null || timeZone.isBlank() ? preferences.of(me.id()).timeZone() : zone(timeZone);
        Instant now = clock.instant();
        ZonedDateTime due = job.schedule().latestDue(now, zone);
        return summaries.compose(due.toLocalDate(), zone, WeeklySchedule.weekStart(due).toInstant(), due.toInstant(), now);
    }

    /** One executive on the list: their time zone and when their next summary falls due. */
    public record Recipient(String email, String timeZone, ZonedDateTime nextDue) {
    }

    @GET
    @Path("/recipients")
    @RolesAllowed({ Roles.EXEC, Roles.ADMIN })
    @Operation(summary = "Who gets the weekly summary, in which time zone, and when it is next due")
    public List<Recipient> recipients() {
        Instant now = clock.instant();
        return job.executives().stream().map(email -> {
            ZoneId zone = preferences.of(Routing.EXECUTIVE_PREFIX + email).timeZone();
            return new Recipient(email, zone.getId(), job.schedule().latestDue(now, zone).plusWeeks(1));
        }).toList();
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw Refusal.invalid("timeZone", "'" + id + "' is not a time zone id (IANA, e.g. Europe/Berlin).");
        }
    }
}
