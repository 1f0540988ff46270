package io.beacon.localstack.launcher;

import java.nio.file.Path;
import java.util.List;

/** One Beacon service as the local stack runs it. */
record ServiceSpec(String name, int port) {

    static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("ticket-ingest", 8081),
            new ServiceSpec("account-service", 8082),
            new ServiceSpec("cta-engine", 8083),
            new ServiceSpec("notification-service", 8084),
            new ServiceSpec("console", 8085));

    static ServiceSpec named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    Path runnableJar(Path home) {
        return home.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
