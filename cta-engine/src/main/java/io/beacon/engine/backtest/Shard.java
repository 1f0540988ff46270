package io.beacon.engine.backtest;

import java.time.Instant;

import io.beacon.engine.evaluation.EvaluationService.TimedEvent;

/** One shard of a replay: the accounts one thread moves through time, event by event. */
interface Shard {

    /** One event of one of this shard's accounts, in the account's order. */
    void apply(TimedEvent event);

    /** Lets time pass for every account of this shard up to {@code until}: the end of the window. */
    void finish(Instant until);
}
