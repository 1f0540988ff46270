package io.beacon.engine.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.engine.rules.RulesetService;
import io.beacon.platform.errors.Refusal;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Rule quality: what happened to a ruleset's CTAs, and the situations its rules missed. */
@Path("/api/v1/rulesets/{name}/quality")
@Tag(name = "Rule quality")
@Produces(MediaType.APPLICATION_JSON)
public class QualityResource {

    private final RuleQuality quality;
    private final RulesetService rulesets;
    private final QualityConfig config;

    QualityResource(RuleQuality quality, RulesetService rulesets, QualityConfig config) {
        this.quality = quality;
        this.rulesets = rulesets;
        this.config = config;
    }

    @GET
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "Per rule × version × segment (or team, CSM): CTAs raised, acted on, dismissed, cleared by "
            + "themselves, snoozed, median time to first action; the missed situations; the active version against its predecessor")
    public RuleQuality.Report report(@PathParam("name") String name, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("days") Integer days, @QueryParam("groupBy") String groupBy,
            @QueryParam("reason") String reason, @QueryParam("missedWithinDays") Integer missedWithinDays) {
        if (rulesets.activeVersion(name).isEmpty() && rulesets.versions(name).isEmpty()) {
            throw Refusal.notFound("There is no ruleset '" + name + "'.");
        }
        if (days != null && (days < 1 || days > 365)) {
            throw Refusal.invalid("days", "days must be 1 to 365, not " + days);
        }
        if (missedWithinDays != null && (missedWithinDays < 1 || missedWithinDays > 90)) {
            throw Refusal.invalid("missedWithinDays", "missedWithinDays must be 1 to 90, not " + missedWithinDays);
        }
        Instant end = instant("to", to, Instant.now());
        Instant start = instant("from", from, end.minus(Duration.ofDays(days == null ? 30 : days)));
        RuleQuality.GroupBy by;
        try {
            by = groupBy == null ? RuleQuality.GroupBy.SEGMENT : RuleQuality.GroupBy.valueOf(groupBy.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("groupBy", "groupBy is segment, team or csm, not '" + groupBy + "'");
        }
        Duration within = missedWithinDays == null ? config.missedWithin() : Duration.ofDays(missedWithinDays);
        return quality.report(name, start, end, by, within, reason == null || reason.isBlank() ? null : reason);
    }

    private static Instant instant(String field, String value, Instant otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw Refusal.invalid(field, field + " is an instant like 2026-11-01T00:00:00Z, not '" + value + "'");
        }
    }
}
