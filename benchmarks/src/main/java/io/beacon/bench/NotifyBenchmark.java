package io.beacon.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.security.DevTokens;

/**
 * Latency of notification-service's inbox path on a running local stack: CTA events are published
 * to {@code ctas.events} at a fixed rate, and a sample is the time until the matching inbox item
 * arrives on its recipient's server-sent-event stream — stored, committed, announced by the
 * database and pushed. Every recipient holds one open stream, as a CSM's browser tab would.
 */
final class NotifyBenchmark {

    /**
     * @param rate CTA events per second
     * @param csms recipients the events are spread over (one SSE connection each)
     */
    record Options(String bootstrap, String url, DevTokens tokens, int rate, int seconds, int warmup, int csms) {
    }

    private final Options options;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, long[]> sent = new ConcurrentHashMap<>();
    private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());

    NotifyBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        out.printf("notify latency: %d CTA events/s for %d s (+%d s warm-up) over %d CSMs -> %s, SSE from %s%n",
                options.rate(), options.seconds(), options.warmup(), options.csms(), options.bootstrap(), options.url());
        HttpClient http = HttpClient.newHttpClient();
        List<Stream<String>> streams = new ArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(options.csms());
        for (int c = 0; c < options.csms(); c++) {
            String csm = "bench-" + run + "-csm-" + c;
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(options.url()
                    + "/api/v1/inbox/stream"))
                    .header("Authorization", "Bearer " + options.tokens().issue(Roles.CSM, csm))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("inbox stream answered HTTP " + response.statusCode());
            }
            streams.add(response.body());
            Thread reader = new Thread(() -> {
                try {
                    response.body().forEach(line -> receive(line, subscribed));
                } catch (RuntimeException closed) {
                    // the stream was closed at the end of the run
                }
            }, "sse-" + c);
            reader.setDaemon(true);
            reader.start();
        }
        if (!subscribed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every inbox stream opened");
        }

        int total = options.rate() * (options.warmup() + options.seconds());
        int warmupEvents = options.rate() * options.warmup();
        long interval = 1_000_000_000L / options.rate();
        try (KafkaProducer<String, String> producer = producer()) {
            long began = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long wait = began + i * interval - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String eventId = "bench-" + run + "-ev-" + i;
                String account = "bench-" + run + "-acct-" + (i % 1000);
                String csm = "bench-" + run + "-csm-" + (i % options.csms());
                sent.put(eventId, new long[] { System.nanoTime(), i >= warmupEvents ? 1 : 0 });
                producer.send(new ProducerRecord<>(Topics.CTAS_EVENTS, account, """
                        {"eventId":"%s","ctaId":"bench-%s-cta-%d","kind":"OPENED","accountId":"%s","type":"RISK",
                         "reason":"benchmark","priority":"LOW","escalated":false,"ownerCsmId":"%s",
                         "explanation":{"openTickets":5,"threshold":5}}""".formatted(eventId, run, i, account, csm)));
            }
            producer.flush();
            double actual = total / ((System.nanoTime() - began) / 1e9);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!sent.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            streams.forEach(Stream::close);
            List<Long> sorted;
            synchronized (samples) {
                sorted = new ArrayList<>(samples);
            }
            Collections.sort(sorted);
            out.printf("published %d CTA events at %.0f events/s; %d measured, %d never seen on a stream%n", total, actual,
                    sorted.size(), sent.size());
            if (!sorted.isEmpty()) {
                out.printf("ctas.events -> inbox item on SSE: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                        percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                        sorted.get(sorted.size() - 1) / 1_000_000);
            }
            out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
            return sent.isEmpty() ? 0 : 1;
        }
    }

    private void receive(String line, CountDownLatch subscribed) {
        if (!line.startsWith("data:")) {
            return;
        }
        long now = System.nanoTime();
        try {
            JsonNode change = json.readTree(line.substring(5));
            String op = change.path("op").asText();
            if ("subscribed".equals(op)) {
                subscribed.countDown();
            } else if ("insert".equals(op)) {
                long[] entry = sent.remove(change.path("item").path("eventId").asText());
                if (entry != null && entry[1] == 1) {
                    samples.add(now - entry[0]);
                }
            }
        } catch (Exception e) {
            out.println("unreadable event: " + line);
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000_000;
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
