package io.beacon.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Backtest speed on a running local stack: drafts "support risk at 3 for MARS" and backtests it
 * against the active version over the ticket events recorded in the last {@code hours} hours
 * (run {@code ./beacon bench engine} first to record 1,000,000 of them), printing the job's
 * progress as the API reports it and its result. With {@code --sweep MARS} (or ALL) it then sweeps
 * {@code supportRisk.openTickets} from {@code --min} to {@code --max} over the same events and prints
 * the sweep's time beside the backtest's, measured in the same run.
 */
final class BacktestBenchmark {

    /** @param sweep the segment to sweep supportRisk.openTickets for (or ALL), null for no sweep */
    record Options(String url, String token, int hours, String sweep, int min, int max) {
    }

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    BacktestBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        JsonNode draft = send("POST", "/api/v1/rulesets/default/versions",
                "{\"params\":{\"supportRisk.openTickets\":{\"MARS\":3}},\"comment\":\"backtest benchmark\"}");
        int version = draft.path("version").path("version").asInt();
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofHours(options.hours()));
        out.printf("backtest: ruleset default v%d (MARS support risk at 3) against the active version, events of %s .. %s%n",
                version, from, to);
        JsonNode job = follow(send("POST", "/api/v1/rulesets/default/versions/" + version + "/backtest",
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}"));
        if (job == null) {
            return 1;
        }
        int active = job.path("against").asInt();
        JsonNode result = job.path("result");
        out.printf("replayed %,d events in %.1f s: %,d events/s through both versions%n", result.path("events").asLong(),
                result.path("seconds").asDouble(), result.path("eventsPerSecond").asLong());
        out.printf("CTAs opened: active %,d, candidate %,d; closed: active %,d, candidate %,d%n",
                result.path("baseline").path("opened").asInt(), result.path("candidate").path("opened").asInt(),
                result.path("baseline").path("closed").asInt(), result.path("candidate").path("closed").asInt());
        for (String by : new String[] { "openedByRule", "openedBySegment", "openedByTeam" }) {
            StringBuilder line = new StringBuilder("  " + by + ":");
            int n = 0;
            for (JsonNode row : result.path(by)) {
                if (n++ == 5) {
                    break;
                }
                line.append(String.format(" %s %+d (%d -> %d);", row.path("key").asText(), row.path("delta").asInt(),
                        row.path("baseline").asInt(), row.path("candidate").asInt()));
            }
            out.println(line);
        }
        if (options.sweep() != null) {
            out.printf("%nsweep: supportRisk.openTickets %d..%d for %s, version %d, same events%n", options.min(),
                    options.max(), options.sweep(), active);
            JsonNode sweep = follow(send("POST", "/api/v1/rulesets/default/versions/" + active + "/sweep",
                    "{\"param\":\"supportRisk.openTickets\",\"segment\":\"" + options.sweep() + "\",\"min\":" + options.min()
                            + ",\"max\":" + options.max() + ",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}"));
            if (sweep == null) {
                return 1;
            }
            JsonNode r = sweep.path("result");
            out.printf("swept %d values over %,d events (%,d of them replayed, the rest outside %s) in %.1f s%n",
                    r.path("values").size(), r.path("events").asLong(), r.path("eventsReplayed").asLong(), options.sweep(),
                    r.path("seconds").asDouble());
            out.printf("  %5s %10s %22s %16s%n", "value", "opened", "CTAs per CSM per week", "missed caught");
            for (JsonNode v : r.path("values")) {
                out.printf("  %5d %10d %22.2f %11d of %d%s%n", v.path("value").asInt(), v.path("opened").asInt(),
                        v.path("ctasPerCsmPerWeek").asDouble(), v.path("caughtMissed").asLong(), r.path("missed").asLong(),
                        v.path("current").asBoolean() ? "  (current)" : "");
            }
            out.printf("sweep %.1f s for %d values, backtest %.1f s for 2 versions: ratio %.2f%n", r.path("seconds").asDouble(),
                    r.path("values").size(), result.path("seconds").asDouble(),
                    r.path("seconds").asDouble() / Math.max(0.1, result.path("seconds").asDouble()));
        }
        out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        return 0;
    }

    /** Follows a started job, printing its progress as the API reports it; null when it could not start or failed. */
    private JsonNode follow(JsonNode job) throws Exception {
        String id = job.path("id").asText();
        if (id.isEmpty()) {
            out.println("could not start: " + job);
            return null;
        }
        while (true) {
            TimeUnit.SECONDS.sleep(2);
            job = send("GET", "/api/v1/backtests/" + id, null);
            JsonNode p = job.path("progress");
            out.printf("  %-7s %3d%%  %,d of %,d records read  %,d events/s  ETA %s s%n", job.path("status").asText(),
                    p.path("percent").asInt(), p.path("eventsRead").asLong(), p.path("eventsTotal").asLong(),
                    p.path("eventsPerSecond").asLong(), p.path("etaSeconds").isNull() ? "-" : p.path("etaSeconds").asText());
            if (!"RUNNING".equals(job.path("status").asText())) {
                break;
            }
        }
        if (!"DONE".equals(job.path("status").asText())) {
            out.println("failed: " + job.path("error").asText());
            return null;
        }
        return job;
    }

    private JsonNode send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.url() + path))
                .header("Authorization", "Bearer " + options.token()).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }
}
