package io.beacon.engine.backtest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Backtests: start one for a ruleset version, follow its progress, read its result. */
@Path("/api/v1/backtests")
@Tag(name = "Backtests")
@Produces(MediaType.APPLICATION_JSON)
public class BacktestResource {

    private final BacktestService backtests;
    private final ObjectMapper json;

    BacktestResource(BacktestService backtests, ObjectMapper json) {
        this.backtests = backtests;
        this.json = json;
    }

    /** The window is {@code from}..{@code to} (event time), or the last {@code days} days (default 30). */
    public record Request(Instant from, Instant to, Integer days, Integer against) {
    }

    public record Progress(long eventsRead, long eventsTotal, int percent, long eventsPerSecond, Long etaSeconds) {
    }

    public record View(String id, String kind, String ruleset, int version, int against, Instant from, Instant to,
            String status, Progress progress, String requestedBy, Instant startedAt, Instant finishedAt, JsonNode spec,
            JsonNode result, String error) {
    }

    /**
     * A sweep of {@code param} for {@code segment} (a segment name, or ALL) over {@code values}, or
     * the whole numbers {@code min}..{@code max}; the window as for a backtest.
     */
    public record SweepRequest(String param, String segment, java.util.List<Integer> values, Integer min, Integer max,
            Instant from, Instant to, Integer days, Integer missedWithinDays) {
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.RULES_ADMIN, Roles.ADMIN, Roles.EXEC })
    @Operation(summary = "A backtest's progress (percent, events/s, ETA) and, once done, its result")
    public View get(@PathParam("id") String id) {
        return backtests.find(id).map(job -> view(job, json))
                .orElseThrow(() -> io.beacon.platform.errors.Refusal.notFound("There is no backtest " + id + "."));
    }

    public static View view(Backtest job, ObjectMapper json) {
        int percent = "DONE".equals(job.status) ? 100
                : job.eventsTotal == 0 ? 0 : (int) Math.min(99, 100 * job.eventsDone / job.eventsTotal);
        Long eta = job.eventsPerSec <= 0 || !"RUNNING".equals(job.status) ? null
                : Math.round((job.eventsTotal - job.eventsDone) / job.eventsPerSec);
        return new View(job.id, job.kind, job.ruleset, job.version, job.against, job.windowFrom, job.windowTo, job.status,
                new Progress(job.eventsDone, job.eventsTotal, percent, Math.round(job.eventsPerSec), eta),
                job.requestedBy, job.startedAt, job.finishedAt, tree(job.spec, json), tree(job.result, json), job.error);
    }

    private static JsonNode tree(String text, ObjectMapper json) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
