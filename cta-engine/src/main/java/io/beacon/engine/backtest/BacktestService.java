package io.beacon.engine.backtest;

import io.beacon.platform.errors.Refusal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.TicketEvent;
import io.beacon.contracts.Topics;
import io.beacon.engine.rules.RulesConfig;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.accountview.AccountView;
import io.beacon.engine.evaluation.AccountState;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.evaluation.Timeline;
import io.beacon.engine.tickets.TicketEventConsumer;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.RuleValidator;
import io.beacon.engine.rules.RulesetService;
import io.beacon.engine.rules.Ruleset;
import io.beacon.engine.rules.model.Params;
import io.beacon.engine.quality.RuleQuality;
import io.beacon.contracts.Segment;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/**
 * What-if: replays the ticket events recorded on {@code tickets.events} whose event time falls in a
 * window through a candidate version and the version it would replace, side by side and apart from
 * live state (see {@link BacktestSimulation}). A job runs in the background with its progress
 * (events, events/s, ETA) written to the database, so any instance can report it; the result counts
 * the CTAs each version would open and close, the difference by rule, segment, CSM and team, and
 * examples of accounts where they differ.
 */
@ApplicationScoped
public class BacktestService {

    private static final Logger LOG = Logger.getLogger(BacktestService.class);
    private static final TimedEvent END = new TimedEvent(null, null);

    private final RulesetService rulesets;
    private final RuleQuality quality;
    private final ObjectMapper json;
    private final RulesConfig config;
    private final Clock clock;
    private final Map<String, Object> kafka;
    /** How long a running backtest may go unheard of before it counts as orphaned. */
    static final Duration ORPHANED_AFTER = Duration.ofMinutes(2);

    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();
    private final ExecutorService jobs = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "backtest");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param kafka the application's Kafka client settings ({@code kafka.*}: servers, TLS, SASL), as
     *        Quarkus gives every Kafka client of the service
     */
    BacktestService(RulesetService rulesets, ObjectMapper json, RulesConfig config, Clock clock,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, RuleQuality quality) {
        this.rulesets = rulesets;
        this.quality = quality;
        this.json = json;
        this.config = config;
        this.clock = clock;
        this.kafka = kafka;
    }

    void stop(@Observes ShutdownEvent event) {
        jobs.shutdownNow();
    }

    /** Starts a backtest of {@code version} against {@code against} (default: the active version). */
    public Backtest start(String name, int version, Integer against, Instant from, Instant to, String requestedBy) {
        if (!from.isBefore(to)) {
            throw Refusal.invalid("from", "the window must start before it ends (from " + from + ", to " + to + ")");
        }
        int baselineVersion = against != null ? against
                : rulesets.activeVersion(name).map(v -> v.version).orElseThrow(() -> Refusal.invalid("against", 
                        "ruleset '" + name + "' has no active version to compare with; name one in 'against'"));
        running(name, version).ifPresent(this::alreadyRunning);
        ActiveRuleset.Compiled candidate = compiled(name, version);
        ActiveRuleset.Compiled baseline = compiled(name, baselineVersion);
        Backtest job = newJob(name, version, baselineVersion, from, to, requestedBy);
        persist(job, name, version);
        Map<String, AccountState.Account> accounts = accounts();
        CtaReconciler reconciler = new CtaReconciler(json);
        execute(job, from, to, () -> new BacktestSimulation(baseline, candidate, accounts, reconciler,
                config.maxFiringsPerEvaluation(), false), (shards, events, seconds) -> result(shards, events, seconds));
        return job;
    }

    /** What a finished replay reports, from its shards. */
    interface Result {
        Map<String, Object> of(List<Shard> shards, long events, double seconds);
    }

    private void execute(Backtest job, Instant from, Instant to, java.util.function.Supplier<Shard> shard, Result result) {
        runningHere.add(job.id);
        jobs.execute(() -> {
            try {
                run(job.id, shard, result, from, to);
            } finally {
                runningHere.remove(job.id);
            }
        });
    }

    /** What a sweep varies: one parameter, for one segment (null: all), over these values. */
    public record Sweep(String param, Segment segment, List<Integer> values, Duration missedWithin) {
    }

    /** Most values one sweep evaluates (each is a full replay of its accounts). */
    public static final int MAX_SWEEP_VALUES = 15;

    /**
     * Starts a sweep: the events of the window replayed once through {@code version} with
     * {@code sweep.param()} set to each value in turn, for the accounts of the swept segment; each
     * value's CTAs per CSM per week and the recorded missed situations it would have warned about.
     */
    public Backtest startSweep(String name, int version, Sweep sweep, Instant from, Instant to, String requestedBy) {
        if (!from.isBefore(to)) {
            throw Refusal.invalid("from", "the window must start before it ends (from " + from + ", to " + to + ")");
        }
        running(name, version).ifPresent(this::alreadyRunning);
        ActiveRuleset.Compiled base = compiled(name, version);
        Params params = base.ruleset().params();
        if (!params.values().containsKey(sweep.param())) {
            throw Refusal.invalid("param", "version " + version + " has no parameter '" + sweep.param() + "'; it has "
                    + new TreeSet<>(params.values().keySet()));
        }
        Map<Integer, ActiveRuleset.Compiled> variants = new java.util.LinkedHashMap<>();
        for (int value : sweep.values()) {
            Ruleset ruleset = base.ruleset();
            variants.put(value, new ActiveRuleset.Compiled(new Ruleset(ruleset.name(), ruleset.version(), ruleset.files(),
                    params.with(sweep.param(), sweep.segment(), value)), base.kieBase(), base.sessions(),
                    base.checksum() + "-sweep-" + value));
        }
        Integer current = current(params, sweep.param(), sweep.segment());
        Backtest job = newJob(name, version, version, from, to, requestedBy);
        job.kind = "SWEEP";
        job.spec = write(Map.of("param", sweep.param(), "segment", sweep.segment() == null ? "ALL" : sweep.segment().name(),
                "values", sweep.values(), "missedWithinDays", sweep.missedWithin().toDays()));
        persist(job, name, version);
        Map<String, AccountState.Account> accounts = accounts();
        Instant until = to.isBefore(clock.instant()) ? to : clock.instant();
        List<SweepSimulation.Situation> situations = quality.situations(name, from, until, sweep.missedWithin()).stream()
                .filter(s -> inScope(accounts.get(s.accountId()), sweep.segment()))
                .map(s -> new SweepSimulation.Situation(s.accountId(), s.at(), !s.warned())).toList();
        Set<String> withSituations = new java.util.HashSet<>();
        situations.forEach(s -> withSituations.add(s.accountId()));
        CtaReconciler reconciler = new CtaReconciler(json);
        execute(job, from, to, () -> new SweepSimulation(variants, sweep.segment(), accounts, withSituations, reconciler,
                config.maxFiringsPerEvaluation()), (shards, events, seconds) -> sweepResult(sweep, current, accounts,
                        situations, from, until, shards, events, seconds));
        return job;
    }

    private static boolean inScope(AccountState.Account account, Segment segment) {
        return account != null && account.segment() != null && (segment == null || account.segment() == segment);
    }

    /** The version's value of the parameter for the segment (for all: the value if every segment has the same). */
    private static Integer current(Params params, String param, Segment segment) {
        Map<Segment, Integer> bySegment = params.values().get(param);
        if (segment != null) {
            return bySegment.get(segment);
        }
        Set<Integer> distinct = new java.util.HashSet<>(bySegment.values());
        return distinct.size() == 1 ? distinct.iterator().next() : null;
    }

    private static Map<String, Object> sweepResult(Sweep sweep, Integer current, Map<String, AccountState.Account> accounts,
            List<SweepSimulation.Situation> situations, Instant from, Instant until, List<Shard> shards, long events,
            double seconds) {
        long inScope = accounts.values().stream().filter(a -> inScope(a, sweep.segment())).count();
        long csms = accounts.values().stream().filter(a -> inScope(a, sweep.segment()) && a.csmId() != null)
                .map(AccountState.Account::csmId).distinct().count();
        // The window's real length (a rate per week, however long the window was; at least a minute).
        double weeks = Math.max(1, Duration.between(from, until).toMinutes()) / (7 * 24 * 60.0);
        long missed = situations.stream().filter(SweepSimulation.Situation::missed).count();
        List<Map<String, Object>> values = new ArrayList<>();
        long evaluated = 0;
        long outOfScope = 0;
        long unknown = 0;
        long failures = 0;
        for (Shard shard : shards) {
            SweepSimulation sim = (SweepSimulation) shard;
            evaluated += sim.evaluated;
            outOfScope += sim.outOfScope;
            unknown += sim.skippedUnknownAccount;
        }
        for (int i = 0; i < sweep.values().size(); i++) {
            int value = sweep.values().get(i);
            int opened = 0;
            int escalated = 0;
            Map<String, Integer> byReason = new java.util.TreeMap<>();
            List<SweepSimulation.Variant> variants = new ArrayList<>();
            for (Shard shard : shards) {
                SweepSimulation.Variant variant = ((SweepSimulation) shard).variants.get(i);
                variants.add(variant);
                opened += variant.opened;
                escalated += variant.escalated;
                failures += variant.failures;
                variant.openedByReason.forEach((k, v) -> byReason.merge(k, v, Integer::sum));
            }
            long caught = 0;
            long warned = 0;
            List<String> caughtAccounts = new ArrayList<>();
            for (SweepSimulation.Situation situation : situations) {
                boolean yes = variants.stream().anyMatch(v -> v.warned(situation, sweep.missedWithin()));
                warned += yes ? 1 : 0;
                if (yes && situation.missed()) {
                    caught++;
                    if (caughtAccounts.size() < 100) {
                        caughtAccounts.add(situation.accountId());
                    }
                }
            }
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("value", value);
            row.put("current", current != null && current == value);
            row.put("opened", opened);
            row.put("escalated", escalated);
            row.put("openedByReason", byReason);
            row.put("ctasPerCsmPerWeek", csms == 0 ? 0 : Math.round(opened / (double) csms / weeks * 100) / 100.0);
            row.put("caughtMissed", caught);
            row.put("warned", warned);
            row.put("caughtMissedAccounts", caughtAccounts.stream().sorted().toList());
            values.add(row);
        }
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("kind", "SWEEP");
        result.put("param", sweep.param());
        result.put("segment", sweep.segment() == null ? "ALL" : sweep.segment().name());
        result.put("current", current);
        result.put("events", events);
        result.put("eventsReplayed", evaluated);
        result.put("eventsOutOfScope", outOfScope);
        result.put("seconds", Math.round(seconds * 10) / 10.0);
        result.put("eventsPerSecond", Math.round(events / seconds));
        result.put("skippedUnknownAccount", unknown);
        result.put("ruleFailures", failures);
        result.put("accounts", inScope);
        result.put("csms", csms);
        result.put("weeks", Math.round(weeks * 1000) / 1000.0);
        result.put("missedWithinDays", sweep.missedWithin().toDays());
        result.put("situations", situations.size());
        result.put("missed", missed);
        result.put("values", values);
        return result;
    }

    private Backtest newJob(String name, int version, int against, Instant from, Instant to, String requestedBy) {
        Backtest job = new Backtest();
        job.id = UUID.randomUUID().toString();
        job.ruleset = name;
        job.version = version;
        job.against = against;
        job.windowFrom = from;
        job.windowTo = to;
        job.status = "RUNNING";
        job.requestedBy = requestedBy;
        job.startedAt = clock.instant();
        job.heartbeatAt = Instant.now();
        return job;
    }

    private void persist(Backtest job, String name, int version) {
        try {
            QuarkusTransaction.requiringNew().run(job::persist);
        } catch (RuntimeException raced) {
            // Another start for this version won the race (one running backtest per version, by index).
            running(name, version).ifPresent(this::alreadyRunning);
            throw raced;
        }
    }

    /** The backtest of this version that is running, if one is. */
    public java.util.Optional<Backtest> running(String name, int version) {
        return QuarkusTransaction.requiringNew().call(() -> Backtest
                .<Backtest> find("ruleset = ?1 and version = ?2 and status = 'RUNNING'", name, version).firstResultOptional());
    }

    /** Every backtest of this version, newest first. */
    public List<Backtest> history(String name, int version) {
        return QuarkusTransaction.requiringNew().call(() -> Backtest
                .<Backtest> list("ruleset = ?1 and version = ?2 order by startedAt desc", name, version));
    }

    private void alreadyRunning(Backtest job) {
        throw Refusal.conflict("A backtest of version " + job.version + " is already running (started "
                + job.startedAt + " by " + job.requestedBy + "): follow /api/v1/backtests/" + job.id + ".");
    }

    public java.util.Optional<Backtest> find(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Backtest.<Backtest> findByIdOptional(id));
    }

    private ActiveRuleset.Compiled compiled(String name, int version) {
        RuleValidator.Report report = rulesets.validate(name, version);
        if (report.compiled() == null) {
            throw Refusal.invalid("version", "version " + version + " of ruleset '" + name + "' cannot be compiled: " + report.summary());
        }
        return new ActiveRuleset.Compiled(report.ruleset(), report.compiled(), "backtest");
    }

    private void run(String id, java.util.function.Supplier<Shard> newShard, Result results, Instant from, Instant to) {
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> workerFailure = new AtomicReference<>();
        try {
            int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
            List<Shard> shards = new ArrayList<>();
            List<BlockingQueue<TimedEvent>> queues = new ArrayList<>();
            Instant until = to.isBefore(clock.instant()) ? to : clock.instant();
            AtomicLong done = new AtomicLong();
            for (int w = 0; w < workers; w++) {
                Shard shard = newShard.get();
                BlockingQueue<TimedEvent> queue = new ArrayBlockingQueue<>(20_000);
                shards.add(shard);
                queues.add(queue);
                Thread thread = new Thread(() -> {
                    try {
                        for (TimedEvent event = queue.take(); event != END; event = queue.take()) {
                            shard.apply(event);
                            done.incrementAndGet();
                        }
                        shard.finish(until);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                        workerFailure.compareAndSet(null, e);
                    }
                }, "backtest-" + w);
                threads.add(thread);
                thread.start();
            }
            long read = replay(id, from, to, queues, done, started, workerFailure);
            for (BlockingQueue<TimedEvent> queue : queues) {
                hand(queue, END, workerFailure);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (workerFailure.get() instanceof OutOfMemoryError oom) {
                throw oom;
            }
            if (workerFailure.get() != null) {
                throw new IllegalStateException(workerFailure.get().getMessage(), workerFailure.get());
            }
            double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
            Map<String, Object> result = results.of(shards, read, seconds);
            QuarkusTransaction.requiringNew().run(() -> {
                Backtest job = Backtest.findById(id);
                job.status = "DONE";
                job.eventsDone = done.get();
                job.eventsTotal = done.get();
                job.eventsPerSec = done.get() / seconds;
                job.finishedAt = clock.instant();
                job.result = write(result);
            });
            LOG.infof("Backtest %s done: %d events in %.1f s (%.0f events/s)", id, done.get(), seconds, done.get() / seconds);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            // A job too big for the heap fails by itself, says why, and lets its memory go: the engine
            // keeps serving (the live path holds what it needs; this job's states are dropped here).
            threads.forEach(Thread::interrupt);
            Throwable cause = workerFailure.get() != null ? workerFailure.get() : e;
            String why = cause instanceof OutOfMemoryError
                    ? "the replay needed more memory than the engine has: narrow the window, sweep one segment, or give the engine more heap"
                    : String.valueOf(cause.getMessage());
            LOG.errorf(cause, "Backtest %s failed", id);
            QuarkusTransaction.requiringNew().run(() -> {
                Backtest job = Backtest.findById(id);
                job.status = "FAILED";
                job.error = why;
                job.finishedAt = clock.instant();
            });
        }
    }

    /**
     * Reads {@code tickets.events} from the first record published at or after the window's start
     * (less a day, for sources that deliver late) to the end offsets seen when the job began, and
     * hands the events whose event time is in the window to the shard of their account.
     *
     * @return how many events were in the window
     */
    private long replay(String id, Instant from, Instant to, List<BlockingQueue<TimedEvent>> queues, AtomicLong done,
            long started, AtomicReference<Throwable> workerFailure) throws InterruptedException {
        Map<String, Object> props = consumerConfig(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        long inWindow = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(Topics.TICKETS_EVENTS)) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> search = new HashMap<>();
            partitions.forEach(p -> search.put(p, from.minus(Duration.ofDays(1)).toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(search);
            long total = 0;
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = start.get(p);
                long offset = at == null ? end.get(p) : at.offset();
                consumer.seek(p, offset);
                total += end.get(p) - offset;
            }
            progress(id, 0, total, 0);
            long lastReport = System.nanoTime();
            long consumed = 0;
            while (!caughtUp(consumer, partitions, end)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    consumed++;
                    TicketEvent event = parse(record.value());
                    // What the live engine would dead-letter, a backtest leaves out too.
                    if (event == null || TicketEventConsumer.problem(new ConsumerRecord<>(record.topic(),
                            record.partition(), record.offset(), record.timestamp(), record.timestampType(),
                            record.serializedKeySize(), record.serializedValueSize(), record.key(), event,
                            record.headers(), record.leaderEpoch())) != null) {
                        continue;
                    }
                    Instant at = Timeline.eventTime(event, record.timestamp());
                    if (at.isBefore(from) || at.isAfter(to)) {
                        continue;
                    }
                    inWindow++;
                    hand(queues.get(Math.floorMod(event.accountId().hashCode(), queues.size())), new TimedEvent(event, at),
                            workerFailure);
                }
                if (System.nanoTime() - lastReport > 1_000_000_000L) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    progress(id, consumed, total, done.get() / seconds);
                    lastReport = System.nanoTime();
                }
            }
        }
        return inWindow;
    }

    /** Puts an event on a shard's queue, unless a shard failed (then nobody would take it). */
    private static void hand(BlockingQueue<TimedEvent> queue, TimedEvent event, AtomicReference<Throwable> workerFailure)
            throws InterruptedException {
        while (!queue.offer(event, 200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (workerFailure.get() != null) {
                throw new IllegalStateException("a replay thread failed: " + workerFailure.get());
            }
        }
    }

    /**
     * The consumer's settings: the application's Kafka settings (whatever reaches the broker: servers,
     * security protocol, SASL, trust stores) and the backtest's own for a fast, uncommitted read.
     */
    static Map<String, Object> consumerConfig(Map<String, Object> application) {
        Map<String, Object> props = new HashMap<>();
        application.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group
        return props;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < end.get(p)) {
                return false;
            }
        }
        return true;
    }

    private TicketEvent parse(byte[] value) {
        try {
            return value == null ? null : json.readValue(value, TicketEvent.class);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Every 30 s: the backtests this instance runs say they are alive, and any backtest still RUNNING
     * whose instance has not said so for {@link #ORPHANED_AFTER} — it stopped or died mid-run — is
     * marked FAILED with the reason, so nobody waits on it forever. Run it again to get its result.
     */
    @Scheduled(every = "30s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (!runningHere.isEmpty()) {
                    Backtest.update("heartbeatAt = ?1 where id in ?2 and status = 'RUNNING'", Instant.now(),
                            List.copyOf(runningHere));
                }
                failOrphans(Instant.now().minus(ORPHANED_AFTER));
            });
        } catch (RuntimeException e) {
            LOG.warnf("Backtest heartbeat failed, will retry: %s", e.getMessage());
        }
    }

    /** Marks FAILED every running backtest not heard of since {@code silentSince}; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int failOrphans(Instant silentSince) {
        List<Backtest> orphans = Backtest.list("status = 'RUNNING' and heartbeatAt < ?1", silentSince);
        for (Backtest job : orphans) {
            job.status = "FAILED";
            job.error = "the engine instance running it stopped (last heard of at " + job.heartbeatAt
                    + "); start the backtest again";
            job.finishedAt = clock.instant();
            LOG.warnf("Backtest %s orphaned: %s", job.id, job.error);
        }
        return orphans.size();
    }

    private void progress(String id, long read, long total, double rate) {
        QuarkusTransaction.requiringNew().run(() -> {
            Backtest job = Backtest.findById(id);
            job.eventsDone = read;
            job.eventsTotal = total;
            job.eventsPerSec = rate;
            job.heartbeatAt = Instant.now();
        });
    }

    private static Map<String, AccountState.Account> accounts() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, AccountState.Account> accounts = new HashMap<>();
            for (AccountView view : AccountView.<AccountView> listAll()) {
                accounts.put(view.accountId, new AccountState.Account(view.accountId, view.segment, view.csmId,
                        view.csmTeam, view.arr, view.renewalDate));
            }
            return accounts;
        });
    }

    private static Map<String, Object> result(List<Shard> all, long events, double seconds) {
        List<BacktestSimulation> shards = all.stream().map(BacktestSimulation.class::cast).toList();
        BacktestSimulation.Tally baseline = new BacktestSimulation.Tally();
        BacktestSimulation.Tally candidate = new BacktestSimulation.Tally();
        List<BacktestSimulation.Example> examples = new ArrayList<>();
        long unknown = 0;
        long failures = 0;
        for (BacktestSimulation shard : shards) {
            baseline.merge(shard.baseline.tally);
            candidate.merge(shard.candidate.tally);
            shard.examples.stream().limit(Math.max(0, 10 - examples.size())).forEach(examples::add);
            unknown += shard.skippedUnknownAccount;
            failures += shard.baseline.failures + shard.candidate.failures;
        }
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("events", events);
        result.put("seconds", Math.round(seconds * 10) / 10.0);
        result.put("eventsPerSecond", Math.round(events / seconds));
        result.put("skippedUnknownAccount", unknown);
        result.put("ruleFailures", failures);
        result.put("baseline", totals(baseline));
        result.put("candidate", totals(candidate));
        result.put("openedByRule", difference(baseline.openedByRule, candidate.openedByRule));
        result.put("openedBySegment", difference(baseline.openedBySegment, candidate.openedBySegment));
        result.put("openedByTeam", difference(baseline.openedByTeam, candidate.openedByTeam));
        result.put("openedByCsm", difference(baseline.openedByCsm, candidate.openedByCsm));
        result.put("examples", examples);
        return result;
    }

    private static Map<String, Integer> totals(BacktestSimulation.Tally tally) {
        Map<String, Integer> totals = new java.util.LinkedHashMap<>();
        totals.put("opened", tally.opened);
        totals.put("closed", tally.closed);
        totals.put("escalated", tally.escalated);
        return totals;
    }

    /** Rows of {key, baseline, candidate, delta}, the biggest changes first; unchanged keys are left out. */
    private static List<Map<String, Object>> difference(Map<String, Integer> baseline, Map<String, Integer> candidate) {
        TreeSet<String> keys = new TreeSet<>(baseline.keySet());
        keys.addAll(candidate.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String key : keys) {
            int b = baseline.getOrDefault(key, 0);
            int c = candidate.getOrDefault(key, 0);
            if (b != c) {
                Map<String, Object> row = new TreeMap<>();
                row.put("key", key);
                row.put("baseline", b);
                row.put("candidate", c);
                row.put("delta", c - b);
                rows.add(row);
            }
        }
        rows.sort((x, y) -> Integer.compare(Math.abs((Integer) y.get("delta")), Math.abs((Integer) x.get("delta"))));
        return rows;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
