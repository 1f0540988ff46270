package io.beacon.ingest.parking;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.config.IngestConfig;
import io.beacon.ingest.messaging.TicketEventPublisher;
import io.beacon.platform.concurrent.Coalescing;
import io.beacon.platform.tx.Jdbc;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Publishes parked events whose organisation an account now carries, under that account, in the
 * order they were parked. One instance at a time does it (a transaction-scoped advisory lock); a
 * batch is marked released only after Kafka has acknowledged all of it, so a crash in between
 * publishes it again — the same event ids, which the engine recognises — and loses nothing.
 */
@ApplicationScoped
public class Releaser {

    private static final Logger LOG = Logger.getLogger(Releaser.class);
    private static final int BATCH = 500;
    /** Arbitrary, fixed: the advisory lock that makes one instance release at a time. */
    private static final long LOCK = 0x4265_6163_6f6e_5052L;

    private final EntityManager em;
    private final ParkedEvents parked;
    private final TicketEventPublisher publisher;
    private final IngestConfig config;
    private final Clock clock;
    private final Coalescing coalescing = new Coalescing(this::releaseAll);
    private final AtomicLong waiting = new AtomicLong();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ingest-releaser");
        thread.setDaemon(true);
        return thread;
    });

    Releaser(EntityManager em, ParkedEvents parked, TicketEventPublisher publisher, IngestConfig config, Clock clock,
            MeterRegistry registry) {
        this.em = em;
        this.parked = parked;
        this.publisher = publisher;
        this.config = config;
        this.clock = clock;
        Gauge.builder("beacon.ingest.parked.events", waiting, AtomicLong::get)
                .description("Events waiting for their organisation to be given to an account").register(registry);
    }

    @Scheduled(every = "${beacon.ingest.parking.release-every:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        trigger();
    }

    /** Asks for a release pass soon, on a worker thread; passes never overlap. */
    public void trigger() {
        coalescing.requestOn(executor,
                e -> LOG.warnf("Releasing parked events failed, will retry: %s", e.getMessage()));
    }

    /** Runs passes on the caller's thread until nothing releasable is left; @return events released */
    public int releaseNow() {
        return coalescing.exclusively(this::releaseAll);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    private int releaseAll() {
        int total = 0;
        int released;
        do {
            released = QuarkusTransaction.requiringNew().call(this::releaseBatch);
            total += released;
        } while (released == BATCH);
        waiting.set(QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM parked_event WHERE released_at IS NULL").getSingleResult()).longValue()));
        return total;
    }

    private int releaseBatch() {
        boolean mine = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)").setParameter(1, LOCK)
                .getSingleResult();
        if (!mine) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT p.id, p.event, m.account_id FROM parked_event p
                JOIN account_external_id m ON m.source = p.source AND m.external_id = p.organization_id
                WHERE p.released_at IS NULL ORDER BY p.id LIMIT ?1""").setParameter(1, BATCH).getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Long> ids = new ArrayList<>(rows.size());
        List<Uni<Void>> sends = new ArrayList<>(rows.size());
        List<String> accounts = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            TicketEvent event = ParkedEvents.withAccount(parked.read((String) row[1]), (String) row[2]);
            ids.add(((Number) row[0]).longValue());
            accounts.add((String) row[2]);
            // Sent in parking order; records of one account share a partition, which keeps that order.
            sends.add(publisher.publish(event));
        }
        Uni.join().all(sends).andFailFast().await().atMost(config.publishTimeout());
        Jdbc.Batch released = Jdbc.batch("UPDATE parked_event SET released_at = ?, account_id = ? WHERE id = ?");
        Timestamp now = Timestamp.from(clock.instant());
        for (int i = 0; i < ids.size(); i++) {
            released.add(now, accounts.get(i), ids.get(i));
        }
        released.execute(em);
        LOG.infof("Released %d parked event(s) to their accounts", ids.size());
        return ids.size();
    }
}
