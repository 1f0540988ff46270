package io.beacon.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Segment;
import io.beacon.contracts.TicketEvent;
import io.beacon.contracts.Topics;
import io.beacon.engine.evaluation.AccountState;

/**
 * Measures the engine on the running local stack: publishes account snapshots, then N ticket
 * events spread over the accounts, and times how long the engine's consumer group takes to commit
 * them all (each commit follows the database commit of state, evaluation and CTAs). In the same run
 * a plain consumer reads the same records and only deserialises them, for the ratio.
 */
final class EngineBenchmark {

    /**
     * @param rate events per second in latency mode; 0 runs the throughput mode (as fast as possible)
     * @param seconds how long the latency mode publishes (after {@code warmup} seconds not measured)
     * @param mix {@code lifecycle} (tickets go through their lives) or {@code churn} (any ticket may
     *        take any status at any event)
     * @param openAccounts latency mode only: first give this many accounts open tickets and an open CTA
     *        (ten events each), measure the engine idle, and make a tenth of them due during the
     *        measured window
     * @param db the stack's database (JDBC URL, user postgres), for the throughput mode's database floor
     * @param engine the engine's base URL, for its metrics
     */
    record Options(String bootstrap, int events, int accounts, String mix, int rate, int seconds, int warmup, Path home,
            int openAccounts, String db, String engine) {
    }

    private static final String ENGINE_GROUP = "cta-engine";
    private static final String[] SEGMENTS = { "MERCURY", "MARS", "VENUS", "JUPITER" };

    private final Options options;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    EngineBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws Exception {
        return options.rate() > 0 ? latency() : throughput();
    }

    /**
     * As fast as possible: N events over A accounts. In the {@code lifecycle} mix each account has
     * eight ticket slots whose tickets are created, worked (most events are updates that change
     * nothing the rules count), put on hold, solved, sometimes reopened, closed and replaced; some
     * are urgent, some breach their SLA. The {@code churn} mix is the stress case: every event gives a
     * random ticket of the account a random status and priority, so about every second event
     * changes a CTA.
     */
    private int throughput() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        out.printf("engine benchmark: %d ticket events over %d accounts, %s mix -> %s%n", options.events(),
                options.accounts(), options.mix(), options.bootstrap());
        try (KafkaProducer<String, String> producer = producer(20); Admin admin = admin()) {
            publishAccounts(producer, admin, run);
            Map<TopicPartition, Long> start = endOffsets(admin, Topics.TICKETS_EVENTS);
            long ctasBefore = total(endOffsets(admin, Topics.CTAS_EVENTS));
            Random random = new Random(42);
            Lifecycles lifecycles = new Lifecycles(options.accounts(), 8);
            boolean churn = "churn".equals(options.mix());
            StackCpu cpu = new StackCpu(options.home());
            Map<String, Double> cpuBefore = cpu.sample();
            Instant began = Instant.now();
            Instant base = Instant.now().minusSeconds(3600);
            Progress progress = new Progress(options.events());
            for (int i = 0; i < options.events(); i++) {
                int account = random.nextInt(options.accounts());
                Instant at = base.plusMillis(i);
                producer.send(record(run, i, account, churn ? churningTicket(random, account, at)
                        : lifecycles.next(random, account, at)));
                progress.published(i + 1);
            }
            producer.flush();
            Duration published = Duration.between(began, Instant.now());
            awaitCaughtUp(admin, Topics.TICKETS_EVENTS, Duration.ofMinutes(30));
            Duration engine = Duration.between(began, Instant.now());
            long ctaEvents = total(endOffsets(admin, Topics.CTAS_EVENTS)) - ctasBefore;
            Map<String, Double> cpuAfter = cpu.sample();

            Duration raw = rawConsume(start);
            double engineRate = options.events() / (engine.toNanos() / 1e9);
            double rawRate = options.events() / (raw.toNanos() / 1e9);
            out.printf("published in %.1f s%n", published.toNanos() / 1e9);
            out.printf("engine: %d events committed in %.1f s = %.0f events/s (from first publish); "
                    + "%d CTA changes on %s so far%n", options.events(), engine.toNanos() / 1e9, engineRate, ctaEvents,
                    Topics.CTAS_EVENTS);
            out.printf("raw consumer (deserialise only): %.1f s = %.0f events/s; engine/raw = %.2f%n",
                    raw.toNanos() / 1e9, rawRate, engineRate / rawRate);
            cpu.report(cpuBefore, cpuAfter, options.events(), out);
            floor(start, engineRate, rawRate, run);
            machine();
        }
        return 0;
    }

    /** The engine's pieces alone on the same records (see {@link EngineFloor}), and the engine as a fraction of the slowest. */
    private void floor(Map<TopicPartition, Long> start, double engineRate, double rawRate, String run) throws Exception {
        Map<String, AccountState.Account> accounts = new HashMap<>();
        for (int a = 0; a < options.accounts(); a++) {
            String id = accountId(run, a);
            accounts.put(id, new AccountState.Account(id, Segment.valueOf(SEGMENTS[a % 4]), "csm-bench-" + (a % 12),
                    "Bench", null, null));
        }
        EngineFloor floor = new EngineFloor(json, accounts::get);
        List<EngineFloor.Timed> events = floor.read(options.bootstrap(), start, options.events());
        // The stack is still sending the run's notifications: the pieces get the machine to themselves.
        double busy = new StackCpu(options.home()).settle(0.2, Duration.ofMinutes(15));
        out.printf("floor pieces: stack quiet (%.2f cores busy); measuring each piece alone%n", busy);
        List<EngineFloor.Result> pieces = List.of(
                floor.rules(options.home().resolve("seeds").resolve("rules"), events),
                floor.database(options.db(), "postgres", "postgres", events));
        double slowest = rawRate;
        String slowestPiece = "consume and deserialise";
        for (EngineFloor.Result piece : pieces) {
            out.printf("floor, %s: %.1f s = %.0f events/s (%s)%n", piece.piece(), piece.took().toNanos() / 1e9,
                    piece.rate(), piece.detail());
            if (piece.rate() < slowest) {
                slowest = piece.rate();
                slowestPiece = piece.piece();
            }
        }
        out.printf("engine / slowest piece (%s) = %.0f / %.0f = %.2f%n", slowestPiece, engineRate, slowest,
                engineRate / slowest);
    }

    /**
     * At a fixed rate, with a pattern whose CTA changes can be traced back to the event that caused
     * them: each account opens ten tickets one by one and then solves them one by one, over and over.
     * With the default rules its support-risk CTA opens at 5 open tickets, is updated at 6..10 and on
     * the way down at 9..5, and closes at 2; each of those CTA records names the open-ticket count,
     * and so the event that produced it. The time from publishing that event to reading its CTA
     * record from {@code ctas.events} is one sample: ticket state, rules and CTA committed, and the
     * CTA event relayed. Both times come from this process's clock; the first {@code warmup}
     * seconds are not measured (a fresh JVM compiles its hot paths then).
     */
    private int latency() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        int total = options.rate() * (options.warmup() + options.seconds());
        int warmupEvents = options.rate() * options.warmup();
        out.printf("engine latency: %d events/s for %d s (+%d s warm-up) over %d accounts -> %s%n", options.rate(),
                options.seconds(), options.warmup(), options.accounts(), options.bootstrap());
        try (KafkaProducer<String, String> producer = producer(0); Admin admin = admin()) {
            Instant measureFrom = options.openAccounts() > 0 ? openAccounts(run, admin) : null;
            publishAccounts(producer, admin, run);
            if (measureFrom != null) {
                // Start so that the warm-up ends as the due accounts' evaluations begin.
                Duration wait = Duration.between(Instant.now(), measureFrom.minusSeconds(options.warmup()));
                if (wait.isNegative()) {
                    out.printf("open accounts: setting up took %d s too long; the due work starts before the window%n",
                            -wait.toSeconds());
                } else {
                    TimeUnit.MILLISECONDS.sleep(wait.toMillis());
                }
            }
            Map<String, Deque<long[]>> sent = new ConcurrentHashMap<>();
            List<Long> samples = new ArrayList<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            Map<TopicPartition, Long> ctaStart = endOffsets(admin, Topics.CTAS_EVENTS);
            Thread reader = new Thread(() -> readCtaEvents(ctaStart, sent, samples, publishing), "cta-reader");
            reader.start();

            Instant created = Instant.now().minusSeconds(7 * 86_400);
            StackCpu cpu = new StackCpu(options.home());
            Map<String, Double> cpuBefore = cpu.sample();
            long began = System.nanoTime();
            long interval = 1_000_000_000L / options.rate();
            long scheduledBefore = -1;
            for (int i = 0; i < total; i++) {
                if (i == warmupEvents) {
                    scheduledBefore = scheduledAccounts();
                }
                long wait = began + i * interval - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int account = i % options.accounts();
                int j = i / options.accounts();
                int cycle = j / 20;
                int step = j % 20;
                boolean opening = step < 10;
                int slot = opening ? step : step - 10;
                int openAfter = opening ? step + 1 : 19 - step;
                TicketEvent.Ticket ticket = new TicketEvent.Ticket("c" + cycle + "-t" + slot,
                        opening ? TicketEvent.Status.OPEN : TicketEvent.Status.SOLVED, TicketEvent.Priority.NORMAL,
                        TicketEvent.Kind.QUESTION, null, null, null, null, created, Instant.now(), null);
                long[] entry = { openAfter, System.nanoTime(), i >= warmupEvents ? 1 : 0 };
                Deque<long[]> pending = sent.computeIfAbsent(accountId(run, account), a -> new ArrayDeque<>());
                synchronized (pending) {
                    pending.addLast(entry);
                }
                producer.send(record(run, i, account, ticket));
            }
            producer.flush();
            long scheduledDuring = scheduledAccounts() - scheduledBefore;
            double actualRate = total / ((System.nanoTime() - began) / 1e9);
            awaitCaughtUp(admin, Topics.TICKETS_EVENTS, Duration.ofMinutes(5));
            TimeUnit.SECONDS.sleep(3);
            Map<String, Double> cpuAfter = cpu.sample();
            publishing.set(false);
            reader.join();

            List<Long> sorted;
            synchronized (samples) {
                sorted = new ArrayList<>(samples);
            }
            Collections.sort(sorted);
            out.printf("published %d events at %.0f events/s; %d measured CTA changes traced to their event%n",
                    total, actualRate, sorted.size());
            if (!sorted.isEmpty()) {
                out.printf("publish -> CTA on %s: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", Topics.CTAS_EVENTS,
                        percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                        sorted.get(sorted.size() - 1) / 1_000_000);
            }
            if (scheduledBefore >= 0) {
                out.printf("accounts moved on by the engine's schedule during the measured window: %d%n", scheduledDuring);
            }
            cpu.report(cpuBefore, cpuAfter, total, out);
            machine();
        }
        return 0;
    }

    /**
     * A database with history and many accounts holding open work: {@code openAccounts} accounts get
     * five open tickets (created a week ago) and five updates of them — ten events each, a support-risk
     * CTA each. Then the engine is measured idle for 30 s (nothing due: CPU per core), and a tenth of
     * the accounts get a ticket created just under 24 hours ago, so each becomes due once (the ticket
     * leaves the 24-hour window). The engine evaluates a due instant once it is {@link #LATENESS} old
     * (its default {@code beacon.engine.event-lateness}), so the instants are placed for their
     * evaluations to spread over the measured window.
     *
     * @return when the measured window must begin for those evaluations to fall inside it
     */
    private Instant openAccounts(String run, Admin admin) throws Exception {
        int n = options.openAccounts();
        out.printf("open accounts: %d accounts, 10 events each%n", n);
        try (KafkaProducer<String, String> bulk = producer(20)) {
            publishSnapshots(bulk, admin, n, a -> openAccountId(run, a), "Open");
            Instant created = Instant.now().minus(Duration.ofDays(7));
            Instant began = Instant.now();
            int i = 0;
            for (int step = 0; step < 10; step++) {
                for (int a = 0; a < n; a++) {
                    Instant at = began.minusSeconds(60 - step);
                    bulk.send(openRecord(run, "o" + i++, a, new TicketEvent.Ticket("t" + step % 5, TicketEvent.Status.OPEN,
                            TicketEvent.Priority.NORMAL, TicketEvent.Kind.QUESTION, null, null, null, null, created, at, null)));
                }
            }
            bulk.flush();
            awaitCaughtUp(admin, Topics.TICKETS_EVENTS, Duration.ofMinutes(60));
            out.printf("open accounts: %d events applied in %.0f s%n", i, Duration.between(began, Instant.now()).toNanos() / 1e9);

            StackCpu cpu = new StackCpu(options.home());
            // The new CTAs are still being notified (inbox, e-mail): wait until the stack is quiet.
            Instant settling = Instant.now();
            double busy = cpu.settle(0.2, Duration.ofMinutes(20));
            out.printf("open accounts: the stack settled (under %.0f %% of a core) after %.0f s%n", busy * 100,
                    Duration.between(settling, Instant.now()).toNanos() / 1e9);
            Map<String, Double> before = cpu.sample();
            TimeUnit.SECONDS.sleep(30);
            Map<String, Double> after = cpu.sample();
            if (after.containsKey("cta-engine")) {
                out.printf("idle, %d accounts with open work, nothing due: cta-engine used %.1f %% of a core over 30 s%n", n,
                        (after.get("cta-engine") - before.get("cta-engine")) / 30 * 100);
            }

            int due = n / 10;
            Instant firstDue = Instant.now().plusSeconds(10);
            Random random = new Random(7);
            for (int a = 0; a < due; a++) {
                Instant now = Instant.now();
                Instant dueAt = firstDue.plusMillis(random.nextInt(Math.max(1, options.seconds() * 1000)));
                bulk.send(openRecord(run, "d" + a, a * 10, new TicketEvent.Ticket("t-due", TicketEvent.Status.OPEN,
                        TicketEvent.Priority.NORMAL, TicketEvent.Kind.QUESTION, null, null, null, null,
                        dueAt.minus(Duration.ofHours(24)), now, null)));
            }
            bulk.flush();
            awaitCaughtUp(admin, Topics.TICKETS_EVENTS, Duration.ofMinutes(10));
            double settled = cpu.settle(0.2, Duration.ofMinutes(2));
            out.printf("open accounts: %d of them fall due from %s on; evaluated %d s later; stack at %.2f cores%n", due,
                    firstDue, LATENESS.toSeconds(), settled);
            return firstDue.plus(LATENESS);
        }
    }

    /** How old a due instant must be before the engine evaluates it: its default {@code beacon.engine.event-lateness}. */
    private static final Duration LATENESS = Duration.ofMinutes(2);

    /** The engine's count of accounts its schedule moved on ({@code beacon_engine_schedule_accounts_total}), -1 if unreadable. */
    private long scheduledAccounts() {
        try {
            java.net.http.HttpResponse<java.util.stream.Stream<String>> response = java.net.http.HttpClient.newHttpClient()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(options.engine() + "/q/metrics")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofLines());
            return (long) response.body().filter(l -> l.startsWith("beacon_engine_schedule_accounts_total"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private ProducerRecord<String, String> openRecord(String run, String id, int account, TicketEvent.Ticket ticket)
            throws Exception {
        return event("open-" + run + "-" + id, openAccountId(run, account), ticket);
    }

    private static String openAccountId(String run, int account) {
        return "open-" + run + "-" + account;
    }

    /**
     * Matches each support-risk CTA record to the oldest unmatched event of its account that left
     * the account with the record's open-ticket count; older events of the account were folded
     * into the same evaluation and are dropped.
     */
    private void readCtaEvents(Map<TopicPartition, Long> start, Map<String, Deque<long[]>> sent, List<Long> samples,
            AtomicBoolean publishing) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + UUID.randomUUID());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            while (publishing.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Deque<long[]> pending = sent.get(record.key());
                    if (pending == null) {
                        continue;
                    }
                    CtaEvent event = json.readValue(record.value(), CtaEvent.class);
                    Object open = event.explanation() == null ? null : event.explanation().get("openTickets");
                    if (!"support-risk".equals(event.reason()) || !(open instanceof Number count)) {
                        continue;
                    }
                    synchronized (pending) {
                        long[] match = pending.stream().filter(e -> e[0] == count.intValue()).findFirst().orElse(null);
                        if (match == null) {
                            continue;
                        }
                        while (pending.peekFirst() != match) {
                            pending.removeFirst();
                        }
                        pending.removeFirst();
                        if (match[2] == 1) {
                            synchronized (samples) {
                                samples.add(now - match[1]);
                            }
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000_000;
    }

    /** Ticket slots per account, each holding one ticket somewhere in its life. */
    static final class Lifecycles {

        private final TicketEvent.Status[][] status;
        private final TicketEvent.Priority[][] priority;
        private final int[][] generation;
        private final Instant[][] created;

        Lifecycles(int accounts, int slots) {
            status = new TicketEvent.Status[accounts][slots];
            priority = new TicketEvent.Priority[accounts][slots];
            generation = new int[accounts][slots];
            created = new Instant[accounts][slots];
        }

        TicketEvent.Ticket next(Random random, int account, Instant at) {
            int slot = random.nextInt(status[account].length);
            TicketEvent.Status now = status[account][slot];
            int roll = random.nextInt(100);
            boolean breach = false;
            TicketEvent.Status next;
            if (now == null || now == TicketEvent.Status.CLOSED) {
                generation[account][slot] += now == null ? 0 : 1;
                created[account][slot] = at;
                int p = random.nextInt(100);
                priority[account][slot] = p < 20 ? TicketEvent.Priority.LOW : p < 80 ? TicketEvent.Priority.NORMAL
                        : p < 95 ? TicketEvent.Priority.HIGH : TicketEvent.Priority.URGENT;
                next = TicketEvent.Status.NEW;
            } else if (now == TicketEvent.Status.NEW) {
                next = TicketEvent.Status.OPEN;
            } else if (now == TicketEvent.Status.OPEN) {
                // Mostly comments and field edits: the ticket stays open.
                next = roll < 70 ? TicketEvent.Status.OPEN : roll < 85 ? TicketEvent.Status.PENDING
                        : TicketEvent.Status.SOLVED;
                if (roll < 2) {
                    priority[account][slot] = TicketEvent.Priority.URGENT;
                }
                breach = roll >= 2 && roll < 4;
            } else if (now == TicketEvent.Status.PENDING) {
                next = roll < 60 ? TicketEvent.Status.OPEN : TicketEvent.Status.SOLVED;
            } else {
                next = roll < 20 ? TicketEvent.Status.OPEN : TicketEvent.Status.CLOSED;
            }
            status[account][slot] = next;
            return new TicketEvent.Ticket("t" + slot + "-" + generation[account][slot], next, priority[account][slot],
                    TicketEvent.Kind.INCIDENT, null, null, null, null, created[account][slot], at,
                    breach ? new TicketEvent.Sla(null, null, true) : null);
        }
    }

    private TicketEvent.Ticket churningTicket(Random random, int account, Instant updatedAt) {
        int ticket = random.nextInt(10);
        int s = random.nextInt(100);
        TicketEvent.Status status = s < 10 ? TicketEvent.Status.NEW : s < 55 ? TicketEvent.Status.OPEN
                : s < 70 ? TicketEvent.Status.PENDING : s < 95 ? TicketEvent.Status.SOLVED : TicketEvent.Status.CLOSED;
        int p = random.nextInt(100);
        TicketEvent.Priority priority = p < 20 ? TicketEvent.Priority.LOW : p < 75 ? TicketEvent.Priority.NORMAL
                : p < 93 ? TicketEvent.Priority.HIGH : TicketEvent.Priority.URGENT;
        // A ticket's creation time is fixed (derived from its id): some new today, most older.
        Instant created = updatedAt.minusSeconds(Math.floorMod((account * 31 + ticket) * 7919, 20 * 86_400));
        TicketEvent.Sla sla = random.nextInt(100) < 3 ? new TicketEvent.Sla(null, null, true) : null;
        return new TicketEvent.Ticket("t" + ticket, status, priority, TicketEvent.Kind.INCIDENT, null, null, null,
                null, created, updatedAt, sla);
    }

    private ProducerRecord<String, String> record(String run, int i, int account, TicketEvent.Ticket ticket)
            throws Exception {
        return event("bench-" + run + "-" + i, accountId(run, account), ticket);
    }

    /** A ticket event as a support system's API publishes it, keyed by its account. */
    private ProducerRecord<String, String> event(String eventId, String accountId, TicketEvent.Ticket ticket)
            throws Exception {
        TicketEvent event = new TicketEvent(eventId, TicketEvent.Source.API, TicketEvent.Type.UPDATED,
                ticket.updatedAt(), accountId, ticket);
        return new ProducerRecord<>(Topics.TICKETS_EVENTS, accountId, json.writeValueAsString(event));
    }

    private static String accountId(String run, int account) {
        return "bench-" + run + "-" + account;
    }

    private void publishAccounts(KafkaProducer<String, String> producer, Admin admin, String run) throws Exception {
        publishSnapshots(producer, admin, options.accounts(), a -> accountId(run, a), "Bench");
        out.println("account snapshots consumed; publishing ticket events");
    }

    /** A snapshot for each of {@code count} accounts (segments and CSMs spread evenly); waits until the engine has them. */
    private void publishSnapshots(KafkaProducer<String, String> producer, Admin admin, int count,
            java.util.function.IntFunction<String> id, String name) throws Exception {
        for (int a = 0; a < count; a++) {
            String account = id.apply(a);
            producer.send(new ProducerRecord<>(Topics.ACCOUNTS_SNAPSHOTS, account, """
                    {"accountId":"%s","name":"%s %d","employees":%d,"segment":"%s",
                     "csm":{"id":"csm-bench-%d","name":"Bench CSM","email":"b@example.com","team":"Bench"},"version":1,
                     "test":true}
                    """.formatted(account, name, a, 50 + a % 4000, SEGMENTS[a % 4], a % 12)));
        }
        producer.flush();
        awaitCaughtUp(admin, Topics.ACCOUNTS_SNAPSHOTS, Duration.ofMinutes(10));
    }

    private void machine() {
        out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private Duration rawConsume(Map<TopicPartition, Long> start) throws Exception {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            long read = 0;
            Instant began = Instant.now();
            while (read < options.events()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    json.readValue(record.value(), TicketEvent.class);
                    read++;
                }
            }
            return Duration.between(began, Instant.now());
        }
    }

    /** "published n of N" at every tenth of a long publish, so a run of a million events shows it moves. */
    private final class Progress {
        private final int total;
        private final int step;

        Progress(int total) {
            this.total = total;
            this.step = Math.max(1, total / 10);
        }

        void published(int count) {
            if (total >= 10_000 && count % step == 0) {
                out.printf("  published %,d of %,d events%n", count, total);
            }
        }
    }

    private void awaitCaughtUp(Admin admin, String topic, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<TopicPartition, Long> end = endOffsets(admin, topic);
        Instant nextReport = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ENGINE_GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            boolean done = end.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue() == 0 || (c != null && c.offset() >= e.getValue());
            });
            if (done) {
                return;
            }
            if (Instant.now().isAfter(nextReport)) {
                long behind = end.entrySet().stream().mapToLong(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
                }).sum();
                out.printf("  the engine has %,d events of %s still to commit%n", behind, topic);
                nextReport = Instant.now().plusSeconds(5);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the engine did not catch up on " + topic + " within " + timeout);
    }

    private Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private KafkaProducer<String, String> producer(int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put("bootstrap.servers", options.bootstrap());
        return Admin.create(props);
    }
}
