package io.beacon.system;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The local stack started as {@code ./beacon up} starts it — the launcher jar, the packaged
 * services, embedded Kafka, PostgreSQL and mail — on ports shifted by a free offset and with its
 * own state directory, so it never touches a developer's running stack.
 */
final class StackRunner implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("beacon.home", "..")).toAbsolutePath().normalize();
    /** Every port the stack opens, before the offset. */
    static final List<Integer> BASE_PORTS = List.of(8180, 8085, 8081, 8082, 8083, 8084, 9092, 15432, 3025, 3143);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path state;
    private final int offset = freeOffset();
    private Process launcher;

    private final java.util.Map<String, String> env;

    StackRunner(Path state) {
        this(state, java.util.Map.of());
    }

    /** @param env extra environment for the launcher and the services, e.g. BEACON_SEED_HISTORY=false */
    StackRunner(Path state, java.util.Map<String, String> env) {
        this.state = state;
        this.env = env;
    }

    Duration start() throws IOException {
        Instant begin = Instant.now();
        Files.deleteIfExists(state.resolve("run/ready"));
        // The launcher's jar names no class path of its own (test class paths would pick it up twice).
        String classpath = HOME.resolve("deploy/local-stack/target/beacon-local-stack.jar") + File.pathSeparator
                + HOME.resolve("deploy/local-stack/target/lib") + "/*";
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "io.beacon.localstack.launcher.BeaconCli", "--home", HOME.toString(), "--state",
                state.toString(), "--port-offset", Integer.toString(offset), "up")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().putAll(env);
        launcher = builder.start();
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .failFast("the launcher exited; see " + log(), () -> !launcher.isAlive())
                .until(() -> Files.exists(state.resolve("run/ready")));
        return Duration.between(begin, Instant.now());
    }

    Process launcher() {
        return launcher;
    }

    int offset() {
        return offset;
    }

    Path state() {
        return state;
    }

    Path log() {
        return state.resolveSibling(state.getFileName() + "-launcher.log");
    }

    /** A URL on the stack, by the port it has on a developer's machine (8083 for cta-engine, say). */
    URI uri(int basePort, String path) {
        return URI.create("http://localhost:" + (basePort + offset) + path);
    }

    @Override
    public void close() throws InterruptedException {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroy();
            launcher.waitFor(60, TimeUnit.SECONDS);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeOffset() {
        return IntStream.generate(() -> ThreadLocalRandom.current().nextInt(100, 900) * 10)
                .filter(candidate -> BASE_PORTS.stream().allMatch(port -> isFree(port + candidate)))
                .findFirst().orElseThrow();
    }
}
