package io.beacon.system;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Beacon service ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as its own
 * process on a fixed port, as an orchestrator would run it: started, SIGKILLed and started again
 * with the same configuration. Its output goes to {@code system-tests/target/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("beacon.home", "..")).toAbsolutePath().normalize();

    private final String name;
    private final Path jar;
    private final int port = freePort();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /**
     * @param module the Maven module whose packaged application to run
     * @param name a name for the log file (two instances of one module need two names)
     */
    ServiceProcess(String module, String name, Map<String, String> env) {
        this.name = name;
        this.jar = HOME.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        this.env.putAll(env);
        this.env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    }

    /** Starts the process and waits until {@code /q/health/ready} answers 200; returns how long that took. */
    Duration start() throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; package the services first (./mvnw package -DskipTests)");
        }
        Instant begin = Instant.now();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-jar", jar.toString())
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        awaitReady(Duration.ofSeconds(120));
        return Duration.between(begin, Instant.now());
    }

    void awaitReady(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .failFast(name + " exited; see " + log(), () -> process == null || !process.isAlive())
                .until(this::ready);
    }

    boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close of consumers or transactions. Returns the exit code. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die");
        }
        return process.exitValue();
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    int port() {
        return port;
    }

    Path log() {
        return HOME.resolve("system-tests/target/" + name + ".log");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
