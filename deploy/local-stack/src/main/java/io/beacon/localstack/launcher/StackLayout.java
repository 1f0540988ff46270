package io.beacon.localstack.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the local stack keeps its state (by default {@code <home>/.beacon}) and which ports it uses.
 * A port offset moves every port at once, so a second stack (a system test, say) can run beside
 * a developer's own.
 * <p>
 * Every fixed port lies below 32768, outside the range Linux (and most systems) hands out as the local
 * port of outgoing connections: a listening port inside it can be held, at random, by any process's
 * client socket (PostgreSQL on 55432 once failed to start in CI because of that).
 */
record StackLayout(Path home, Path root, int portOffset) {

    static final int KAFKA_PORT = 9092;
    static final int POSTGRES_PORT = 15432;
    static final int SMTP_PORT = 3025;
    static final int IMAP_PORT = 3143;
    static final int SIGN_IN_PORT = 8180;

    StackLayout(Path home) {
        this(home, home.resolve(".beacon"), 0);
    }

    int signInPort() {
        return SIGN_IN_PORT + portOffset;
    }

    int kafkaPort() {
        return KAFKA_PORT + portOffset;
    }

    int postgresPort() {
        return POSTGRES_PORT + portOffset;
    }

    int smtpPort() {
        return SMTP_PORT + portOffset;
    }

    int imapPort() {
        return IMAP_PORT + portOffset;
    }

    int port(ServiceSpec service) {
        return service.port() + portOffset;
    }

    String baseUrl(ServiceSpec service) {
        return "http://localhost:" + port(service);
    }

    Path kafkaData() {
        return root().resolve("kafka");
    }

    Path postgresData() {
        return root().resolve("postgres");
    }

    Path keys() {
        return root().resolve("keys");
    }

    /** The webhook secret of the stack's instance ("local") of a desk, made on the first {@code up} and kept. */
    Path deskSecret(String desk) {
        return keys().resolve(desk + "-webhook-secret");
    }

    Path logs() {
        return root().resolve("logs");
    }

    Path run() {
        return root().resolve("run");
    }

    Path launcherPidFile() {
        return run().resolve("launcher.pid");
    }

    Path readyFile() {
        return run().resolve("ready");
    }

    Path pidFile(ServiceSpec service) {
        return run().resolve(service.name() + ".pid");
    }

    Path log(String process) {
        return logs().resolve(process + ".log");
    }

    void createDirectories() throws IOException {
        for (Path dir : new Path[] { kafkaData(), postgresData(), keys(), logs(), run() }) {
            Files.createDirectories(dir);
        }
    }

    Optional<ProcessHandle> readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
