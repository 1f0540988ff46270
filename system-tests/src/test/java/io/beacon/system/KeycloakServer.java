package io.beacon.system;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} distribution from Maven Central, unpacked by the
 * build) in development mode on a free port, with the realm export under
 * {@code src/test/resources/keycloak} imported. Keycloak 26 needs Java 21 or newer: it runs on the JDK
 * named by {@code BEACON_KEYCLOAK_JAVA_HOME}, else the newest JDK 21+ under {@code /usr/lib/jvm} (these
 * machines have a Temurin 25 beside the Java 17 the services use).
 * Measured here: ready 29 s after the first start (Keycloak builds itself once), 10 s after later ones.
 */
final class KeycloakServer implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("beacon.keycloak.home", "target/keycloak/keycloak-26.4.7"));
    static final Path JAVA_HOME = javaHome();
    static final String REALM = "beacon";

    private final int port = ServiceProcess.freePort();
    private final Path log;
    private Process process;

    KeycloakServer(Path log) {
        this.log = log;
    }

    private static Path javaHome() {
        String given = System.getenv("BEACON_KEYCLOAK_JAVA_HOME");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        try (var jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                    .filter(jdk -> major(jdk) >= 21)
                    .max(java.util.Comparator.comparingInt(KeycloakServer::major))
                    .orElse(Path.of("/usr/lib/jvm/no-java-21-or-newer"));
        } catch (IOException e) {
            return Path.of("/usr/lib/jvm/no-java-21-or-newer");
        }
    }

    /** The major version a JDK's {@code release} file names (JAVA_VERSION="25.0.1"), 0 if unknown. */
    private static int major(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a JDK we can read
        }
        return 0;
    }

    /** Why this machine cannot run it, or null when it can. */
    static String missing() {
        if (!Files.isExecutable(HOME.resolve("bin/kc.sh"))) {
            return "Keycloak is not unpacked at " + HOME + " (the build's pre-integration-test phase does it)";
        }
        if (!Files.isExecutable(JAVA_HOME.resolve("bin/java"))) {
            return "no Java 21+ at " + JAVA_HOME + " for Keycloak (set BEACON_KEYCLOAK_JAVA_HOME)";
        }
        return null;
    }

    Duration start(Path realmExport) throws IOException {
        Instant begin = Instant.now();
        // Start from the realm as the repository has it: a database left by an earlier run would make
        // Keycloak skip the import (a realm that exists is not imported again).
        Path database = HOME.resolve("data/h2");
        if (Files.exists(database)) {
            try (var files = Files.walk(database)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Path imports = HOME.resolve("data/import");
        Files.createDirectories(imports);
        Files.copy(realmExport, imports.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder(HOME.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--http-management-port=" + ServiceProcess.freePort(), "--import-realm",
                "--cache=local")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .failFast("Keycloak exited; see " + log, () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return Duration.between(begin, Instant.now());
    }

    String issuer() {
        return "http://localhost:" + port + "/realms/" + REALM;
    }

    String jwksUri() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    @Override
    public void close() {
        if (process != null) {
            // kc.sh may run the server as a child rather than exec it: stop that too.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
