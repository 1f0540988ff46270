package io.beacon.engine.backtest;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A backtest job: what it compares, how far it has got, and its result (JSON) once done. */
@Entity
@Table(name = "backtest")
public class Backtest extends PanacheEntityBase {

    @Id
    public String id;

    public String ruleset;

    public int version;

    public int against;

    @Column(name = "window_from")
    public Instant windowFrom;

    @Column(name = "window_to")
    public Instant windowTo;

    public String status;

    @Column(name = "events_total")
    public long eventsTotal;

    @Column(name = "events_done")
    public long eventsDone;

    @Column(name = "events_per_sec")
    public double eventsPerSec;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Written by the instance running it while it runs (see BacktestService#heartbeat). */
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    /** COMPARE (a version against another) or SWEEP (one parameter over several values). */
    public String kind = "COMPARE";

    /** What a sweep varies (JSON: param, segment, values, missedWithinDays); null for a comparison. */
    public String spec;

    public String result;

    public String error;
}
