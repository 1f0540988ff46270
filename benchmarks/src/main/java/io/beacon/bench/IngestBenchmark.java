package io.beacon.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sends batches of ticket events to ticket-ingest as fast as it takes them, from several
 * connections at once, and reports accepted events per second and request latency. Each batch
 * is answered only after Kafka has stored every event, so the number includes the broker's work.
 */
final class IngestBenchmark {

    record Options(String url, String token, int events, int batch, int concurrency, int accounts, int warmupBatches) {
    }

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    IngestBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        out.printf("ingest benchmark: %d events in batches of %d, %d concurrent requests, %d accounts -> %s%n",
                options.events(), options.batch(), options.concurrency(), options.accounts(), options.url());
        for (int i = 0; i < options.warmupBatches(); i++) {
            send(batch("warmup-" + runId + "-" + i));
        }

        int batches = options.events() / options.batch();
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLongArray latencies = new AtomicLongArray(batches);
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        Instant start = Instant.now();
        for (int t = 0; t < options.concurrency(); t++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < batches) {
                    long began = System.nanoTime();
                    try {
                        HttpResponse<String> response = send(batch(runId + "-" + i));
                        if (response.statusCode() == 202) {
                            accepted.addAndGet(options.batch());
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    latencies.set(i, System.nanoTime() - began);
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        Duration took = Duration.between(start, Instant.now());

        long[] sorted = new long[batches];
        for (int i = 0; i < batches; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        double seconds = took.toNanos() / 1e9;
        out.printf("accepted %d events in %.1f s: %.0f events/s (%d failed requests)%n",
                accepted.get(), seconds, accepted.get() / seconds, failed.get());
        out.printf("request latency (batch of %d): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", options.batch(),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        return failed.get() == 0 ? 0 : 1;
    }

    private HttpResponse<String> send(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.url() + "/api/v1/ticket-events"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + options.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String batch(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant now = Instant.now();
        StringBuilder json = new StringBuilder(options.batch() * 400).append('[');
        for (int i = 0; i < options.batch(); i++) {
            if (i > 0) {
                json.append(',');
            }
            int account = random.nextInt(options.accounts());
            json.append("{\"eventId\":\"bench-").append(prefix).append('-').append(i)
                    .append("\",\"source\":\"api\",\"type\":\"updated\",\"occurredAt\":\"").append(now)
                    .append("\",\"accountId\":\"bench-acct-").append(account)
                    .append("\",\"ticket\":{\"id\":\"bench-t-").append(random.nextInt(50_000))
                    .append("\",\"status\":\"").append(random.nextInt(4) == 0 ? "solved" : "open")
                    .append("\",\"priority\":\"normal\",\"type\":\"question\",\"subject\":\"Benchmark ticket\"")
                    .append(",\"createdAt\":\"").append(now.minusSeconds(3600)).append("\",\"updatedAt\":\"")
                    .append(now).append("\"}}");
        }
        return json.append(']').toString();
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
