package io.beacon.platform.outbox;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.beacon.platform.concurrent.Coalescing;
import io.beacon.platform.kafka.CloudEventRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;

/**
 * Sends pending {@code outbox_event} rows to Kafka in id order and marks them sent once Kafka has
 * acknowledged them. If Kafka fails, the pass rolls back and the rows go out on a later pass: a record
 * may then be sent twice, which consumers recognise by its {@code ce_id}.
 *
 * <p>Order: one relay at a time per service, across all its instances. A pass holds a
 * transaction-scoped advisory lock (keyed by the service's schema) while it sends; an instance that
 * does not get it leaves the pass to the one that has it. So rows leave in id order, and an account's
 * rows were written in commit order (every writer of an account holds the account's lock), so its
 * records reach Kafka in the order they were committed — also when an instance dies mid-pass: the
 * database drops its lock with its connection, the next relay sends the unmarked rows again in id
 * order, and consumers drop the copies they already have. Relaying per partition in parallel would
 * scale further; one relay sends a batch in one round trip to the broker, which is far from the
 * limit at our rates (see the cta-engine README).
 */
@ApplicationScoped
@IfBuildProperty(name = "beacon.outbox.enabled", stringValue = "true")
public class OutboxRelay {

    public static final String CHANNEL = "outbox";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final EntityManager em;
    private final TransactionManager transactions;
    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final Counter published;
    private final Timer lag;
    private final String source;
    private final AtomicLong pendingRows = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();
    private volatile boolean paused;
    /** Only one thread relays at a time, so records leave in id order; a wake-up meanwhile means one more pass. */
    private final Coalescing passes = new Coalescing(this::pass);
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "outbox-relay");
        thread.setDaemon(true);
        return thread;
    });

    OutboxRelay(EntityManager em, @Channel(CHANNEL) MutinyEmitter<String> emitter, OutboxConfig config,
            MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String application,
            TransactionManager transactions) {
        this.em = em;
        this.transactions = transactions;
        this.emitter = emitter;
        this.config = config;
        this.published = registry.counter("beacon.outbox.published");
        this.lag = Timer.builder("beacon.outbox.lag")
                .description("Time from writing a record to the outbox to Kafka acknowledging it")
                .publishPercentileHistogram()
                .register(registry);
        this.source = "/beacon/" + application;
        Gauge.builder("beacon.outbox.pending", pendingRows, AtomicLong::get)
                .description("Outbox rows not yet acknowledged by Kafka (measured every 15 s)")
                .register(registry);
        Gauge.builder("beacon.outbox.oldest.pending", oldestPendingMillis, ms -> ms.get() / 1000.0)
                .description("Age in seconds of the oldest outbox row not yet acknowledged by Kafka (0 when none)")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Measures the backlog for the gauges: how many rows wait, and for how long the oldest has. */
    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void measure() {
        Object[] row = (Object[]) em.createNativeQuery("""
                SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)) * 1000, 0)
                FROM outbox_event WHERE published_at IS NULL
                """).getSingleResult();
        pendingRows.set(((Number) row[0]).longValue());
        oldestPendingMillis.set(Math.max(0, ((Number) row[1]).longValue()));
    }

    // The first pass waits for the messaging channels to be wired: the scheduler starts before them,
    // and an emitter cannot be injected until they are. Commits wake the relay in between anyway.
    @Scheduled(every = "${beacon.outbox.poll-interval:1s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relay() {
        try {
            passes.request();
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay pass failed, will retry: %s", e.getMessage());
        }
    }

    /** One pass: sends batches until fewer than a full batch are pending. */
    private void pass() {
        int sent;
        do {
            if (paused) {
                return;
            }
            sent = relayBatch();
        } while (sent == config.batchSize());
    }

    /** Called after a transaction that wrote to the outbox has committed. */
    void wake() {
        if (!paused) {
            passes.requestOn(waker, e -> LOG.warnf("Outbox relay pass failed, will retry: %s", e.getMessage()));
        }
    }

    @PreDestroy
    void stop() {
        waker.shutdownNow();
    }

    /** @return how many records this pass sent */
    @Transactional
    public int relayBatch() {
        boolean mine = (Boolean) em.createNativeQuery(
                "SELECT pg_try_advisory_xact_lock(hashtextextended('outbox-relay:' || current_schema(), 0))")
                .getSingleResult();
        if (!mine) {
            return 0; // another instance is relaying; it goes on until nothing is pending
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, event_id, topic, record_key, event_type, subject, payload, created_at
                FROM outbox_event
                WHERE published_at IS NULL
                ORDER BY id
                LIMIT ?1
                """).setParameter(1, config.batchSize()).getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Message<String>> messages = new ArrayList<>(rows.size());
        List<Long> ids = new ArrayList<>(rows.size());
        List<Instant> written = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            ids.add(((Number) row[0]).longValue());
            Instant created = row[7] instanceof Timestamp ts ? ts.toInstant() : (Instant) row[7];
            written.add(created);
            messages.add(CloudEventRecords.message((String) row[6], (String) row[2], (String) row[3], (String) row[1],
                    (String) row[4], source, (String) row[5], created));
        }
        // The rows stay locked by this transaction while Kafka gets them; the sending itself runs
        // detached from it, so producer threads never join the transaction's context.
        Transaction locking = suspend();
        try {
            List<Uni<Void>> acks = new ArrayList<>(messages.size());
            messages.forEach(m -> acks.add(emitter.sendMessage(m)));
            Uni.join().all(acks).andFailFast().await().atMost(config.sendTimeout());
        } finally {
            resume(locking);
        }
        Instant acked = Instant.now();
        written.forEach(w -> lag.record(Duration.between(w, acked).abs()));
        em.createNativeQuery("UPDATE outbox_event SET published_at = now() WHERE id = ANY(?1)")
                .setParameter(1, ids.toArray(Long[]::new))
                .executeUpdate();
        published.increment(rows.size());
        return rows.size();
    }

    private Transaction suspend() {
        try {
            return transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }

    private void resume(Transaction transaction) {
        try {
            transactions.resume(transaction);
        } catch (InvalidTransactionException | SystemException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops relaying (records keep queuing in the table); for tests that simulate a crashed relay. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        wake();
    }

    @Transactional
    public long pending() {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM outbox_event WHERE published_at IS NULL")
                .getSingleResult()).longValue();
    }
}
