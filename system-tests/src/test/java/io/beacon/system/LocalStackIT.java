package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.beacon.contracts.Roles;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;

/**
 * The local stack as a user runs it: the launcher behind {@code ./beacon up}, the four packaged
 * services, embedded Kafka and PostgreSQL. Runs on shifted ports and its own state directory, so
 * it does not touch a developer's running stack.
 */
class LocalStackIT {

    private static final Path HOME = Path.of(System.getProperty("beacon.home", "..")).toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final List<Integer> BASE_PORTS = List.of(8081, 8082, 8083, 8084, 9092, 55432);

    @TempDir
    Path state;

    private final HttpClient http = HttpClient.newHttpClient();
    private final int offset = freeOffset();
    private Process launcher;

    @AfterEach
    void stopLauncher() throws InterruptedException {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroy();
            launcher.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void upServesAllFourServicesStopsWithoutLeftoversAndKeepsDataForTheNextUp() throws Exception {
        Duration firstStart = start();
        assertThat(firstStart).isLessThan(Duration.ofSeconds(90));
        for (int port = 8081; port <= 8084; port++) {
            HttpResponse<String> health = get(port, "/q/health/ready", null);
            assertThat(health.statusCode()).as("health of port %d", port).isEqualTo(200);
            assertThat(health.body()).containsPattern("^\\{\\s*\"status\":\\s*\"UP\"");
        }

        DevTokens tokens = new DevTokens(DevKeys.load(state.resolve("keys")));
        String account = "acct-system-" + offset;
        Instant now = Instant.now();
        String event = """
                {"eventId":"sys-1","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"T-1","status":"open","priority":"urgent","updatedAt":"%s"}}
                """.formatted(now, account, now);
        assertThat(post(8081, "/api/v1/ticket-events", event, null).statusCode()).isEqualTo(401);
        assertThat(post(8081, "/api/v1/ticket-events", event, tokens.issue(Roles.EXEC, "e")).statusCode()).isEqualTo(403);
        assertThat(post(8081, "/api/v1/ticket-events", event, tokens.issue(Roles.INGEST, "desk")).statusCode()).isEqualTo(202);

        String ticketsPath = "/api/v1/accounts/" + account + "/tickets";
        String reader = tokens.issue(Roles.EXEC, "exec-1");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(8083, ticketsPath, reader).body().contains("\"lastEventId\":\"sys-1\""));

        List<ProcessHandle> children = launcher.toHandle().descendants().toList();
        assertThat(children).hasSize(4); // the services; PostgreSQL runs detached (pg_ctl) and is checked below
        launcher.destroy(); // SIGTERM: the same shutdown path as Ctrl-C
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        for (int port : BASE_PORTS) {
            assertThat(isFree(port + offset)).as("port %d released", port + offset).isTrue();
        }
        assertThat(state.resolve("postgres/data/postmaster.pid")).as("PostgreSQL stopped").doesNotExist();

        start();
        assertThat(get(8083, ticketsPath, reader).body()).contains("\"lastEventId\":\"sys-1\"");
        assertThat(Files.readString(log())).contains("Topics present");
    }

    private Duration start() throws IOException {
        Instant begin = Instant.now();
        Files.deleteIfExists(state.resolve("run/ready"));
        // The launcher's jar names no class path of its own (test class paths would pick it up twice).
        String classpath = HOME.resolve("deploy/local-stack/target/beacon-local-stack.jar") + java.io.File.pathSeparator
                + HOME.resolve("deploy/local-stack/target/lib") + "/*";
        launcher = new ProcessBuilder(javaExecutable(), "-cp", classpath, "io.beacon.localstack.launcher.BeaconCli",
                "--home", HOME.toString(), "--state", state.toString(), "--port-offset", Integer.toString(offset), "up")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .failFast("the launcher exited; see " + log(), () -> !launcher.isAlive())
                .until(() -> Files.exists(state.resolve("run/ready")));
        return Duration.between(begin, Instant.now());
    }

    private Path log() {
        return state.resolveSibling(state.getFileName() + "-launcher.log");
    }

    private HttpResponse<String> get(int basePort, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(basePort, path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int basePort, String path, String json, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(basePort, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(int basePort, String path) {
        return URI.create("http://localhost:" + (basePort + offset) + path);
    }

    private static int freeOffset() {
        return IntStream.generate(() -> ThreadLocalRandom.current().nextInt(100, 900) * 10)
                .filter(candidate -> BASE_PORTS.stream().allMatch(port -> isFree(port + candidate)))
                .findFirst().orElseThrow();
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
