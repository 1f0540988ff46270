package io.beacon.localstack.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.beacon.contracts.Topics;
import io.beacon.localstack.infra.KafkaServer;
import io.beacon.localstack.infra.MailServer;
import io.beacon.localstack.infra.PostgresServer;
import io.beacon.localstack.infra.TopicProvisioner;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevSignIn;
import io.beacon.localstack.security.DevTokens;

/**
 * Runs the whole system on one machine: Kafka and PostgreSQL inside this JVM (unless
 * {@code KAFKA_BOOTSTRAP_SERVERS} / {@code DB_URL} name external ones), and the four services as
 * child processes. It stays in the foreground until it is told to stop, then stops the services
 * first and the infrastructure last, so nothing is left behind.
 */
final class LocalStack {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final StackLayout layout;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> services = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private KafkaServer kafka;
    private PostgresServer postgres;
    private MailServer mail;
    private DevSignIn signIn;

    LocalStack(StackLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
    }

    int up() throws Exception {
        if (layout.readPid(layout.launcherPidFile()).isPresent()) {
            out.println("Beacon is already running (pid " + Files.readString(layout.launcherPidFile()).trim()
                    + "); see './beacon status' or stop it with './beacon down'.");
            return 1;
        }
        layout.createDirectories();
        Files.deleteIfExists(layout.readyFile());
        Files.writeString(layout.launcherPidFile(), Long.toString(ProcessHandle.current().pid()));
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "beacon-local-stack-shutdown"));

        Instant started = Instant.now();
        try {
            Map<String, String> env = startInfrastructure();
            startServices(env);
            awaitHealthy();
        } catch (Exception e) {
            out.println("Beacon did not start: " + e.getMessage());
            out.println("Logs: " + layout.logs());
            System.exit(1);
        }
        Files.writeString(layout.readyFile(), Instant.now().toString());
        printSummary(Duration.between(started, Instant.now()));
        stopped.await();
        return 0;
    }

    private Map<String, String> startInfrastructure() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();

        String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            requireFreePort(layout.kafkaPort(), "Kafka");
            out.println("Starting Kafka on localhost:" + layout.kafkaPort() + " (data in " + layout.kafkaData() + ")");
            kafka = KafkaServer.persistent(layout.kafkaPort(), layout.kafkaData()).start();
            bootstrap = kafka.bootstrapServers();
        } else {
            out.println("Using external Kafka at " + bootstrap);
        }
        List<String> created = TopicProvisioner.ensureTopics(bootstrap);
        out.println(created.isEmpty() ? "Topics present: " + Topics.ALL.size() : "Created topics: " + created);
        if (!"false".equalsIgnoreCase(System.getenv("BEACON_SEED_HISTORY"))) {
            int seeded = SeedHistory.publishIfEmpty(bootstrap, layout.home().resolve("seeds/accounts.csv"), Instant.now(),
                    (done, total) -> out.printf("Seeding 30 days of demo support history: %,d of %,d ticket events published%n",
                            done, total));
            if (seeded > 0) {
                out.println("Published 30 days of demo support history: " + seeded + " ticket events");
            }
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);

        String dbUrl = System.getenv("DB_URL");
        if (dbUrl == null || dbUrl.isBlank()) {
            requireFreePort(layout.postgresPort(), "PostgreSQL");
            out.println("Starting PostgreSQL on localhost:" + layout.postgresPort() + " (data in "
                    + layout.postgresData() + ")");
            postgres = PostgresServer.persistent(layout.postgresPort(), layout.postgresData()).start();
            env.put("DB_URL", postgres.jdbcUrl());
            env.put("DB_USER", PostgresServer.USER);
            env.put("DB_PASSWORD", PostgresServer.PASSWORD);
        } else {
            out.println("Using external PostgreSQL at " + dbUrl);
        }

        String smtpHost = System.getenv("QUARKUS_MAILER_HOST");
        if (smtpHost == null || smtpHost.isBlank()) {
            requireFreePort(layout.smtpPort(), "SMTP");
            mail = MailServer.onPorts(layout.smtpPort(), layout.imapPort()).start();
            out.println("Started a mail server: SMTP localhost:" + mail.smtpPort() + ", IMAP localhost:" + mail.imapPort());
            env.put("QUARKUS_MAILER_HOST", mail.host());
            env.put("QUARKUS_MAILER_PORT", Integer.toString(mail.smtpPort()));
        } else {
            out.println("Using external SMTP at " + smtpHost);
        }

        DevKeys keys = DevKeys.loadOrCreate(layout.keys());
        requireFreePort(layout.signInPort(), "the dev identity provider");
        String clientSecret = DevSignIn.newClientSecret();
        signIn = DevSignIn.start(layout.signInPort(), new DevTokens(keys), layout.home().resolve("seeds/csms.csv"),
                clientSecret);
        // The console signs people in with quarkus-oidc against the dev provider, as against any provider,
        // and calls the services with their tokens. Set in the environment, these point the stack at a
        // real provider instead (the Keycloak system test does).
        orDefault(env, "BEACON_CONSOLE_OIDC_ISSUER", signIn.issuerUrl());
        orDefault(env, "BEACON_CONSOLE_OIDC_CLIENT_ID", DevSignIn.CLIENT_ID);
        orDefault(env, "BEACON_CONSOLE_OIDC_CLIENT_SECRET", clientSecret);
        env.put("BEACON_CONSOLE_ENGINE_URL", layout.baseUrl(ServiceSpec.named("cta-engine")));
        env.put("BEACON_CONSOLE_ACCOUNTS_URL", layout.baseUrl(ServiceSpec.named("account-service")));
        env.put("BEACON_CONSOLE_NOTIFY_URL", layout.baseUrl(ServiceSpec.named("notification-service")));
        env.put("BEACON_CONSOLE_INGEST_URL", layout.baseUrl(ServiceSpec.named("ticket-ingest")));
        // Links in notifications lead to the console.
        orDefault(env, "BEACON_UI_BASE_URL", layout.baseUrl(ServiceSpec.named("console")));
        orDefault(env, "MP_JWT_VERIFY_PUBLICKEY_LOCATION", layout.keys().resolve(DevKeys.PUBLIC_KEY_FILE).toUri().toString());
        orDefault(env, "MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
        return env;
    }

    private void startServices(Map<String, String> env) throws IOException {
        for (ServiceSpec service : ServiceSpec.ALL) {
            Path jar = service.runnableJar(layout.home());
            if (!Files.exists(jar)) {
                throw new IOException(jar + " is missing; build first with ./mvnw -DskipTests package");
            }
            requireFreePort(layout.port(service), service.name());
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xms64m", "-Xmx512m",
                    "-Dquarkus.http.port=" + layout.port(service)));
            if (service.name().equals("ticket-ingest")) {
                // A Zendesk instance, so that a real Zendesk (or curl) can send signed webhooks to the stack;
                // its organisations are resolved through the seeded accounts' zendesk_org_id.
                command.add("-Dbeacon.ingest.zendesk.instances." + DESK_INSTANCE + ".signing-secret=" + secret("zendesk"));
                command.add("-Dbeacon.ingest.jsm.instances." + DESK_INSTANCE + ".secret=" + secret("jsm"));
            }
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(layout.home().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log(service.name()).toFile()));
            builder.environment().putAll(env);
            builder.environment().putIfAbsent("BEACON_HOME", layout.home().toString());
            // account-service loads the demo data into an empty database.
            builder.environment().putIfAbsent("BEACON_ACCOUNTS_SEED_DIR", layout.home().resolve("seeds").toString());
            // cta-engine reads its ruleset from the rule files ops edit.
            builder.environment().putIfAbsent("BEACON_RULES_DIR", layout.home().resolve("seeds/rules").toString());
            // ...and the playbooks beside them.
            builder.environment().putIfAbsent("BEACON_PLAYBOOKS_DIR", layout.home().resolve("seeds/playbooks").toString());
            Process process = builder.start();
            services.add(process);
            Files.writeString(layout.pidFile(service), Long.toString(process.pid()));
            out.println("Started " + service.name() + " (pid " + process.pid() + ") -> " + layout.log(service.name()));
        }
    }

    private void awaitHealthy() throws Exception {
        Instant started = Instant.now();
        Instant deadline = started.plus(HEALTH_TIMEOUT);
        List<ServiceSpec> waiting = new ArrayList<>(ServiceSpec.ALL);
        String shown = "";
        Instant lastShown = Instant.EPOCH;
        while (!waiting.isEmpty()) {
            for (int i = 0; i < ServiceSpec.ALL.size(); i++) {
                if (!services.get(i).isAlive()) {
                    ServiceSpec dead = ServiceSpec.ALL.get(i);
                    throw new IllegalStateException(dead.name() + " exited with code " + services.get(i).exitValue()
                            + "; see " + layout.log(dead.name()));
                }
            }
            waiting.removeIf(service -> "UP".equals(health(service)));
            // Which services are still starting, when that changes and every 5 s: a start is never silent.
            String now = waiting.stream().map(ServiceSpec::name).collect(java.util.stream.Collectors.joining(", "));
            if (!waiting.isEmpty() && (!now.equals(shown) || Instant.now().isAfter(lastShown.plusSeconds(5)))) {
                out.printf("Waiting for %s to be ready (%d of %d ready, %d s)%n", now, ServiceSpec.ALL.size() - waiting.size(),
                        ServiceSpec.ALL.size(), Duration.between(started, Instant.now()).toSeconds());
                shown = now;
                lastShown = Instant.now();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not healthy after " + HEALTH_TIMEOUT.toSeconds() + " s: " + waiting);
            }
            if (!waiting.isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }

    /** @return UP, DOWN or UNREACHABLE */
    String health(ServiceSpec service) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(layout.baseUrl(service) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? "UP" : "DOWN";
        } catch (IOException e) {
            return "UNREACHABLE";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "UNREACHABLE";
        }
    }

    private void printSummary(Duration took) {
        out.println();
        out.printf("Beacon is up (%d s).%n", took.toSeconds());
        for (ServiceSpec service : ServiceSpec.ALL) {
            out.printf("  %-22s %s   (API docs: %s/q/swagger-ui)%n", service.name(), layout.baseUrl(service), layout.baseUrl(service));
        }
        out.println("  Web UI (console)       " + layout.baseUrl(ServiceSpec.named("console"))
                + "/   (signs you in at the dev identity provider, http://localhost:" + layout.signInPort() + ": pick a role)");
        out.println("  Kafka                  localhost:" + layout.kafkaPort());
        out.println("  PostgreSQL             localhost:" + layout.postgresPort() + "/" + PostgresServer.DATABASE);
        if (mail != null) {
            out.println("  Mail (IMAP)            localhost:" + layout.imapPort() + "  (user and password: the address)");
        }
        String ingest = layout.baseUrl(ServiceSpec.named("ticket-ingest"));
        out.println("  Zendesk webhook        POST " + ingest + "/api/v1/webhooks/zendesk   signing secret: " + secret("zendesk"));
        out.println("  JSM webhook            POST " + ingest + "/api/v1/webhooks/jsm   secret: " + secret("jsm"));
        out.println("  Freshdesk webhook      POST " + ingest + "/api/v1/webhooks/freshdesk   with a source API key: "
                + "POST " + ingest + "/api/v1/source-keys (./beacon token admin)");
        out.println("                         (a ticket's organisation is resolved by the accounts' desk ids, e.g. Zendesk"
                + " 360000001, Freshdesk 48000000001 and JSM 10001 are acct-0001; events of an unknown one wait under"
                + " /api/v1/parked-events)");
        out.println("Get a token: ./beacon token rules-admin    Logs: " + layout.logs());
        out.println();
        out.println("Next: open " + layout.baseUrl(ServiceSpec.named("console")) + "/ (sign in as exec), then run"
                + " ./beacon demo in another terminal and watch a ticket story become a CTA and an escalation.");
        out.println("Press Ctrl-C to stop.");
    }

    private void shutdown() {
        out.println("Stopping Beacon...");
        for (Process process : services) {
            process.destroy();
        }
        for (Process process : services) {
            try {
                if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
        if (mail != null) {
            mail.close();
        }
        if (signIn != null) {
            signIn.close();
        }
        try {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            out.println("Error while stopping infrastructure: " + e.getMessage());
        }
        for (ServiceSpec service : ServiceSpec.ALL) {
            layout.pidFile(service).toFile().delete();
        }
        layout.readyFile().toFile().delete();
        layout.launcherPidFile().toFile().delete();
        out.println("Beacon stopped.");
        stopped.countDown();
    }

    int down() throws InterruptedException {
        var launcher = layout.readPid(layout.launcherPidFile());
        if (launcher.isEmpty()) {
            out.println("Beacon is not running.");
        } else {
            out.println("Stopping Beacon (pid " + launcher.get().pid() + ")...");
            launcher.get().destroy();
            try {
                launcher.get().onExit().get(STOP_GRACE.toSeconds() + 15, TimeUnit.SECONDS);
            } catch (Exception e) {
                launcher.get().destroyForcibly();
            }
        }
        // Services left by a launcher that was killed outright.
        for (ServiceSpec service : ServiceSpec.ALL) {
            layout.readPid(layout.pidFile(service)).ifPresent(orphan -> {
                out.println("Stopping leftover " + service.name() + " (pid " + orphan.pid() + ")");
                orphan.destroy();
                orphan.onExit().orTimeout(STOP_GRACE.toSeconds(), TimeUnit.SECONDS).exceptionally(e -> {
                    orphan.destroyForcibly();
                    return orphan;
                }).join();
            });
            layout.pidFile(service).toFile().delete();
        }
        out.println("Beacon is down.");
        return 0;
    }

    int status() {
        var launcher = layout.readPid(layout.launcherPidFile());
        out.println("launcher               " + launcher.map(p -> "running (pid " + p.pid() + ")").orElse("not running"));
        boolean allUp = launcher.isPresent();
        for (ServiceSpec service : ServiceSpec.ALL) {
            String health = health(service);
            allUp &= "UP".equals(health);
            String pid = layout.readPid(layout.pidFile(service)).map(p -> " pid " + p.pid()).orElse("");
            out.printf("%-22s %-11s %s%s%n", service.name(), health, layout.baseUrl(service), pid);
        }
        return allUp ? 0 : 3;
    }

    static final String DESK_INSTANCE = "local";

    /** The stack's webhook secret for a desk: made once (random), then read from {@code .beacon/keys}. */
    String secret(String desk) {
        try {
            Path file = layout.deskSecret(desk);
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] random = new byte[24];
                new java.security.SecureRandom().nextBytes(random);
                Files.writeString(file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the " + desk + " webhook secret in " + layout.keys(), e);
        }
    }

    /** Sets {@code key} for the services unless the launcher's own environment already does. */
    private static void orDefault(Map<String, String> env, String key, String value) {
        String given = System.getenv(key);
        env.put(key, given == null || given.isBlank() ? value : given);
    }

    private static void requireFreePort(int port, String what) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            // As the servers bind: a connection of an earlier run still in TIME_WAIT does not count.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IOException("port " + port + " for " + what + " is taken; is another Beacon or "
                    + what + " running? (./beacon status)");
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
