package io.beacon.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.system.SeedFiles.Csm;
import io.beacon.system.SeedFiles.Seeds;
import io.beacon.contracts.Topics;
import io.beacon.localstack.infra.KafkaServer;
import io.beacon.localstack.infra.MailServer;
import io.beacon.localstack.infra.PostgresServer;
import io.beacon.localstack.infra.TopicProvisioner;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;
import jakarta.mail.Address;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/**
 * The whole system under faults. Kafka, PostgreSQL and SMTP run in this JVM (the local stack's own
 * servers, restartable with their data), the four services as packaged processes. A generator sends
 * 100,000 ticket events for the seeded accounts through ticket-ingest — with duplicates and late,
 * out-of-order copies, retrying whatever was not accepted — while the suite kills cta-engine twice,
 * restarts the broker, restarts PostgreSQL and kills notification-service. Afterwards the CTAs,
 * escalations, e-mails and inbox items must equal what an independent oracle ({@link FaultOracle})
 * computes from the events it got accepted, the seed files and the ruleset's parameters; the
 * {@link LossReport} counts what was lost or duplicated. The stream comes from {@link FaultStream}.
 * <p>
 * The oracle models the shipped support-risk and escalation rules (support risk at its per-segment
 * threshold, urgent tickets on the segments that escalate them, renewal within the window with high
 * or urgent tickets), reading every threshold from {@code ruleset.properties}; the engine runs
 * exactly those two rule files. The stream only opens tickets and only raises
 * priorities, so every account's outcome depends on its final tickets alone, not on how events
 * were batched or interleaved — which is what lets a fault-free oracle be exact.
 */
class FaultSuiteIT {

    private static final Path HOME = ServiceProcess.HOME;
    private static final int EVENTS = Integer.getInteger("beacon.faults.events", 100_000);
    private static final int RATE = Integer.getInteger("beacon.faults.rate", 800);
    private static final String EXECS = "exec-board@fault.test";
    private static final String QUEUE = "cs-queue@fault.test";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, Long> recoveries = new LinkedHashMap<>();

    private KafkaServer kafka;
    private PostgresServer postgres;
    private MailServer mail;
    private DevTokens tokens;
    private ServiceProcess ingest;
    private ServiceProcess accounts;
    private ServiceProcess engine;
    private ServiceProcess notify;

    @AfterEach
    void stopEverything() {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("FaultSuiteIT: closing " + c + ": " + e);
            }
        }
    }

    @Test
    void theSystemEndsAsAFaultFreeRunWouldUnderCrashesAndOutages() throws Exception {
        Path work = Files.createTempDirectory("beacon-faults");
        startInfrastructure(work);
        Seeds seeds = Seeds.read(HOME.resolve("seeds"));
        startServices(work);
        awaitSeeded(seeds);
        Map<String, Csm> owners = owners();

        FaultStream stream = FaultStream.generate(seeds, EVENTS, new Random(20261123));
        Generator generator = new Generator(stream.events());
        ExecutorService background = Executors.newFixedThreadPool(2);
        Instant begin = Instant.now();
        Future<?> sending = background.submit(() -> {
            generator.run();
            return null;
        });
        Future<?> faults = background.submit(() -> {
            injectFaults(generator, stream);
            return null;
        });
        faults.get();
        sending.get();
        background.shutdown();
        System.out.printf("FaultSuiteIT: %,d events accepted by ticket-ingest in %d s (%,d requests retried)%n",
                generator.accepted.size(), Duration.between(begin, Instant.now()).toSeconds(), generator.retries.get());

        Instant drainStart = Instant.now();
        awaitDrained();
        System.out.printf("FaultSuiteIT: drained %d s after the last event%n",
                Duration.between(drainStart, Instant.now()).toSeconds());

        FaultOracle oracle = new FaultOracle(seeds, owners, generator.accepted.values(), loadLeads(),
                RuleParams.read(HOME.resolve("seeds").resolve("rules")), EXECS, QUEUE);
        LossReport report = compare(oracle, generator);
        report.print(recoveries);
        assertThat(report.problems()).as(report.details()).isEmpty();
        assertThat(recoveries).hasSize(5);
    }

    // ------------------------------------------------------------------ infrastructure and services

    private void startInfrastructure(Path work) throws Exception {
        kafka = KafkaServer.persistent(ServiceProcess.freePort(), work.resolve("kafka")).start();
        toClose.add(kafka);
        TopicProvisioner.ensureTopics(kafka.bootstrapServers());
        postgres = PostgresServer.persistent(ServiceProcess.freePort(), work.resolve("postgres")).start();
        toClose.add(postgres);
        mail = MailServer.ephemeral().start();
        toClose.add(mail);
        DevKeys keys = DevKeys.generate();
        keys.writeTo(work.resolve("keys"));
        tokens = new DevTokens(keys);
    }

    private void startServices(Path work) throws Exception {
        Path rules = Files.createDirectories(work.resolve("rules"));
        Files.copy(HOME.resolve("seeds/rules/support-risk.drl"), rules.resolve("support-risk.drl"));
        Files.copy(HOME.resolve("seeds/rules/escalations.drl"), rules.resolve("escalations.drl"));
        Files.writeString(rules.resolve("ruleset.properties"), Files.readString(HOME.resolve("seeds/rules/ruleset.properties"))
                .replaceAll("(?m)^files=.*$", "files=support-risk.drl,escalations.drl"));
        Path scenarios = Files.createDirectories(rules.resolve("scenarios"));
        try (Stream<Path> files = Files.list(HOME.resolve("seeds/rules/scenarios"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("(support-risk|urgent-ticket|renewal).*")).toList()) {
                Files.copy(f, scenarios.resolve(f.getFileName()));
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("DB_URL", postgres.jdbcUrl());
        env.put("DB_USER", PostgresServer.USER);
        env.put("DB_PASSWORD", PostgresServer.PASSWORD);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", work.resolve("keys").resolve(DevKeys.PUBLIC_KEY_FILE).toString());
        env.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
        env.put("QUARKUS_MAILER_HOST", mail.host());
        env.put("QUARKUS_MAILER_PORT", Integer.toString(mail.smtpPort()));
        env.put("BEACON_ACCOUNTS_SEED_DIR", HOME.resolve("seeds").toString());
        env.put("BEACON_RULES_DIR", rules.toString());
        env.put("BEACON_ESCALATION_EMAILS", EXECS);
        env.put("BEACON_QUEUE_EMAIL", QUEUE);
        // A killed notification-service frees the deliveries it had claimed after this long.
        env.put("BEACON_NOTIFY_DISPATCH_CLAIM_FOR", "15s");
        ingest = service("ticket-ingest", "faults-ticket-ingest", env);
        accounts = service("account-service", "faults-account-service", env);
        engine = service("cta-engine", "faults-cta-engine", env);
        notify = service("notification-service", "faults-notification-service", env);
        for (ServiceProcess s : List.of(ingest, accounts, engine, notify)) {
            System.out.printf("FaultSuiteIT: %s ready in %d ms%n", s.log().getFileName(), s.start().toMillis());
        }
    }

    private ServiceProcess service(String module, String name, Map<String, String> env) throws Exception {
        Files.deleteIfExists(HOME.resolve("system-tests/target/" + name + ".log"));
        ServiceProcess process = new ServiceProcess(module, name, env);
        toClose.add(process);
        return process;
    }

    /** Every seeded account and CSM has reached the engine and notification-service. */
    private void awaitSeeded(Seeds seeds) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                count("SELECT count(*) FROM engine.account_view") == seeds.accounts().size()
                        && count("SELECT count(*) FROM notify.account_view") == seeds.accounts().size()
                        && count("SELECT count(*) FROM notify.recipient") >= seeds.csms().size());
    }

    /**
     * Who owns each account, as account-service (the system of record for ownership) says: input to
     * the oracle like the seed files, since accounts imported without a CSM are assigned one there.
     */
    private Map<String, Csm> owners() throws Exception {
        com.fasterxml.jackson.databind.JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
                HttpRequest.newBuilder(accounts.uri("/api/v1/accounts?size=500"))
                        .header("Authorization", "Bearer " + tokens.issue(Roles.ADMIN, "fault-suite")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        Map<String, Csm> owners = new HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode account : page.path("items")) {
            com.fasterxml.jackson.databind.JsonNode csm = account.path("csm");
            if (csm.hasNonNull("id")) {
                owners.put(account.path("id").asText(), new Csm(csm.path("id").asText(),
                        csm.path("email").asText().toLowerCase(), csm.path("team").asText()));
            }
        }
        assertThat(page.path("items").size()).as("every account on one page").isEqualTo(page.path("total").asInt());
        return owners;
    }

    // ------------------------------------------------------------------ faults

    private void injectFaults(Generator generator, FaultStream stream) throws Exception {
        List<String> canaries = stream.canaries();
        int step = EVENTS / 6;
        fault(generator, step, "cta-engine killed (1st)", canaries.get(0), false, () -> {
            engine.kill();
            engine.start();
        });
        fault(generator, 2 * step, "Kafka broker restarted", canaries.get(1), false, () -> {
            kafka.stop();
            Thread.sleep(5_000);
            kafka.start();
        });
        fault(generator, 3 * step, "PostgreSQL restarted", canaries.get(2), false, () -> {
            postgres.stop();
            Thread.sleep(5_000);
            postgres.start();
        });
        fault(generator, 4 * step, "notification-service killed", canaries.get(3), true, () -> {
            notify.kill();
            notify.start();
        });
        fault(generator, 5 * step, "cta-engine killed (2nd)", canaries.get(4), false, () -> {
            engine.kill();
            engine.start();
        });
    }

    interface Action {
        void run() throws Exception;
    }

    /**
     * Waits until the generator has sent {@code after} events, sends a canary (an urgent ticket on a
     * JUPITER account that had none), injects the fault, and measures recovery: until the canary's
     * escalation is stored by the engine, or for notification-service until its e-mail arrived.
     */
    private void fault(Generator generator, int after, String name, String canaryAccount, boolean byMail, Action action)
            throws Exception {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> generator.sent.get() >= after);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CompletableFuture<Instant> accepted = generator.canary(canaryAccount, at);
        System.out.printf("FaultSuiteIT: %s after %,d events (canary on %s)%n", name, generator.sent.get(), canaryAccount);
        action.run();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> byMail
                ? mail.received().stream().anyMatch(m -> body(m).contains("(" + canaryAccount + ")")
                        && subject(m).startsWith("[Escalation]"))
                : count("SELECT count(*) FROM engine.cta WHERE account_id = '" + canaryAccount
                        + "' AND reason = 'urgent-ticket' AND escalated") == 1);
        long millis = Duration.between(at, Instant.now()).toMillis();
        recoveries.put(name, millis);
        System.out.printf("FaultSuiteIT: %s: recovered in %,d ms (ticket-ingest accepted the canary after %,d ms)%n",
                name, millis, Duration.between(at, accepted.get()).toMillis());
    }

    // ------------------------------------------------------------------ draining and comparing

    private void awaitDrained() {
        try (Admin admin = KafkaClients.admin(kafka.bootstrapServers())) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                    KafkaClients.lag(admin, "cta-engine", Topics.TICKETS_EVENTS) == 0
                            && count("SELECT count(*) FROM engine.outbox_event WHERE published_at IS NULL") == 0
                            && KafkaClients.lag(admin, "notification-service", Topics.CTAS_EVENTS) == 0
                            && count("SELECT count(*) FROM notify.delivery WHERE status = 'PENDING'") == 0);
        }
    }

    private LossReport compare(FaultOracle oracle, Generator generator) throws Exception {
        LossReport report = new LossReport();
        // Events: every accepted event id was processed by the engine.
        Set<String> processed = new HashSet<>(strings("SELECT event_id FROM engine.processed_event"));
        report.count("accepted events not processed (lost)", generator.accepted.keySet().stream()
                .filter(id -> !processed.contains(id)).count());
        // Tickets: the newest version of each ticket is what the engine holds.
        Map<String, String> tickets = new HashMap<>();
        for (List<String> row : rows("SELECT account_id, ticket_id, upper(status), upper(priority), "
                + "floor(extract(epoch FROM updated_at) * 1000)::bigint FROM engine.ticket", 5)) {
            tickets.put(row.get(0) + "/" + row.get(1), row.get(2) + "/" + row.get(3) + "/" + row.get(4));
        }
        report.compare("tickets (newest version)", oracle.tickets(), count(tickets));
        // CTAs and escalations.
        Map<String, Integer> ctas = new TreeMap<>();
        for (List<String> row : rows("SELECT account_id, reason, status, escalated FROM engine.cta", 4)) {
            ctas.merge(row.get(0) + " " + row.get(1) + " " + row.get(2) + (row.get(3).equals("t") ? " escalated" : ""), 1,
                    Integer::sum);
        }
        report.compare("CTAs", oracle.ctas(), ctas);
        report.count("escalations expected", oracle.ctas().keySet().stream().filter(k -> k.endsWith("escalated")).count());
        // Changes that ask someone to act were published once each.
        Map<String, Integer> pushed = new TreeMap<>();
        for (List<String> row : rows("SELECT c.account_id, c.reason, n.kind FROM notify.notification n JOIN engine.cta c "
                + "ON c.id = n.cta_id WHERE kind IN ('OPENED', 'ESCALATED', 'REOPENED')", 3)) {
            pushed.merge(String.join(" ", row), 1, Integer::sum);
        }
        report.compare("CTA changes that notify (OPENED/ESCALATED)", oracle.pushedChanges(), pushed);
        // Inbox items for those changes.
        Map<String, Integer> inbox = new TreeMap<>();
        for (List<String> row : rows("SELECT recipient_id, account_id, kind FROM notify.inbox_item "
                + "WHERE kind IN ('OPENED', 'ESCALATED', 'REOPENED')", 3)) {
            inbox.merge(String.join(" ", row), 1, Integer::sum);
        }
        report.compare("inbox items", oracle.inbox(), inbox);
        // E-mails as the SMTP server received them. A message is its Message-ID (RFC 5322): a copy sent
        // again because a crash lost the server's reply carries the same one, and a mail system shows it
        // once. Such re-sends are counted and reported; a second message with its own id is a duplicate.
        Map<String, Integer> mails = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        long resent = 0;
        Pattern account = Pattern.compile("\\((acct-[0-9]+)\\)");
        for (MimeMessage m : mail.received()) {
            Matcher matcher = account.matcher(body(m));
            String acct = matcher.find() ? matcher.group(1) : "?";
            for (Address to : m.getAllRecipients()) {
                if (!seen.add(to + " " + m.getMessageID())) {
                    resent++;
                    continue;
                }
                mails.merge(to.toString().toLowerCase() + " " + acct + (subject(m).startsWith("[Escalation]") ? " escalation" : ""),
                        1, Integer::sum);
            }
        }
        report.compare("e-mails (distinct messages)", oracle.mails(), mails);
        report.count("e-mails re-sent by SMTP with the same Message-ID", resent);
        return report;
    }

    private static Map<String, Integer> count(Map<String, String> values) {
        Map<String, Integer> counted = new TreeMap<>();
        values.forEach((k, v) -> counted.merge(k + " " + v, 1, Integer::sum));
        return counted;
    }

    /** Each team's lead, as the seeds name them (account-service loads them; the snapshots carry them). */
    private Map<String, List<String>> loadLeads() throws Exception {
        Map<String, List<String>> leads = new HashMap<>();
        List<String> lines = Files.readAllLines(HOME.resolve("seeds/csms.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        int id = header.indexOf("id");
        int team = header.indexOf("team");
        int lead = header.indexOf("lead");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (lead >= 0 && lead < f.length && "yes".equalsIgnoreCase(f[lead].trim())) {
                leads.put(f[team], List.of(f[id]));
            }
        }
        return leads;
    }

    // ------------------------------------------------------------------ JDBC and mail helpers

    private Connection db() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        return rows(sql, 1).stream().map(r -> r.get(0)).toList();
    }

    private List<List<String>> rows(String sql, int columns) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The decoded text of a message, all its parts together. */
    private static String body(Part part) {
        try {
            Object content = part.getContent();
            if (content instanceof String text) {
                return text;
            }
            if (content instanceof Multipart multipart) {
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    all.append(body(multipart.getBodyPart(i))).append('\n');
                }
                return all.toString();
            }
            return "";
        } catch (Exception e) {
            return "";
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (Exception e) {
            return "";
        }
    }

    // ------------------------------------------------------------------ the load generator

    /** Sends the stream in batches through ticket-ingest at a fixed rate, retrying until accepted. */
    final class Generator {
        private final List<Event> events;
        final Map<String, Event> accepted = new ConcurrentHashMap<>();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        private final AtomicInteger canaries = new AtomicInteger();

        Generator(List<Event> events) {
            this.events = events;
        }

        void run() throws Exception {
            int batch = 100;
            long nanosPerBatch = 1_000_000_000L * batch / RATE;
            long next = System.nanoTime();
            ExecutorService workers = Executors.newFixedThreadPool(3);
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < events.size(); i += batch) {
                List<Event> slice = events.subList(i, Math.min(events.size(), i + batch));
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next += nanosPerBatch;
                pending.add(workers.submit(() -> {
                    post(slice);
                    return null;
                }));
                pending.removeIf(Future::isDone);
                while (pending.size() > 12) {
                    pending.get(0).get();
                    pending.removeIf(Future::isDone);
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
            workers.shutdown();
        }

        /** An urgent ticket on an account that had none: its escalation marks the system as recovered. */
        CompletableFuture<Instant> canary(String accountId, Instant at) {
            String id = "canary-" + canaries.incrementAndGet();
            Event event = FaultStream.event(id, accountId, "CANARY-" + canaries.get(), "open", "urgent", at);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    post(List.of(event));
                    return Instant.now();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** Until ticket-ingest answers 202; a 503 (broker down) or a dead connection is retried. */
        void post(List<Event> slice) throws Exception {
            String body = slice.stream().map(Event::json).collect(java.util.stream.Collectors.joining(",", "[", "]"));
            String token = tokens.issue(Roles.INGEST, "fault-suite");
            for (int attempt = 0;; attempt++) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingest.uri("/api/v1/ticket-events"))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        assertThat(response.body()).as("nothing refused").contains("\"rejected\":[]");
                        slice.forEach(e -> accepted.put(e.eventId(), e));
                        sent.addAndGet(slice.size());
                        return;
                    }
                    assertThat(response.statusCode()).as(response.body()).isIn(500, 502, 503, 504);
                } catch (java.io.IOException e) {
                    // ingest unreachable for a moment: try again
                }
                retries.incrementAndGet();
                Thread.sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
            }
        }
    }
}
