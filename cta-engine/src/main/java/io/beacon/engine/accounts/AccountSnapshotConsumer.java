package io.beacon.engine.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.ContractChecks;
import io.beacon.contracts.Topics;
import io.beacon.engine.evaluation.EvaluationService;
import io.beacon.platform.kafka.DeadLetters;
import io.beacon.platform.kafka.RecordChecks;
import io.beacon.platform.tx.DatabaseProbe;
import io.beacon.platform.tx.Failures;
import io.beacon.platform.tx.UntilCommitted;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the engine's account view from the compacted {@code accounts.snapshots} topic: newer
 * versions replace older ones, a tombstone removes the account. Events that arrived before their
 * account's first snapshot were parked; they are applied now, in order, and a new or changed account
 * is evaluated at once, at its clock.
 */
@ApplicationScoped
public class AccountSnapshotConsumer {

    public static final String DLQ_CHANNEL = "accounts-dlq";

    private final EvaluationService evaluation;
    private final MutinyEmitter<byte[]> deadLetters;
    private final DatabaseProbe database;
    private final ObjectMapper json;

    AccountSnapshotConsumer(EvaluationService evaluation, @Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters,
            DatabaseProbe database, ObjectMapper json) {
        this.evaluation = evaluation;
        this.deadLetters = deadLetters;
        this.database = database;
        this.json = json;
    }

    /**
     * A snapshot is applied in a transaction of its own, retried with backoff while the database is
     * away (an outage must not drop an account: its tickets would never be evaluated). A record that
     * is not a usable snapshot, or that the database refuses for good, goes to
     * {@code accounts.snapshots.dlq} with the reason.
     */
    @Incoming("accounts-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, AccountSnapshot> record) throws InterruptedException {
        String problem = RecordChecks.isTombstone(record) ? null
                : RecordChecks.problem(record, "account snapshot", ContractChecks::accountSnapshot, AccountSnapshot::accountId);
        if (problem != null) {
            deadLetter(record, problem);
            return;
        }
        String accountId = record.value() != null ? record.value().accountId() : record.key();
        UntilCommitted.Outcome<Void> outcome = UntilCommitted.callUnlessPermanent("the account snapshot of " + accountId,
                () -> {
                    apply(record, accountId);
                    return null;
                }, () -> {
                }, database::reachable);
        if (!outcome.stored()) {
            deadLetter(record, "the database refused the snapshot: " + Failures.rootMessage(outcome.permanentFailure()));
        }
    }

    private void deadLetter(ConsumerRecord<String, AccountSnapshot> record, String reason) {
        deadLetters.sendMessage(DeadLetters.message(record, Topics.ACCOUNTS_SNAPSHOTS_DLQ, reason,
                DeadLetters.asJson(json, record))).await().atMost(Duration.ofSeconds(30));
    }

    private void apply(ConsumerRecord<String, AccountSnapshot> record, String accountId) {
        evaluation.lockAccounts(List.of(accountId));
        if (record.value() == null) {
            AccountView.deleteById(record.key());
            return;
        }
        AccountSnapshot snapshot = record.value();
        AccountView view = AccountView.findById(snapshot.accountId());
        if (view != null && view.version >= snapshot.version()) {
            return;
        }
        if (view == null) {
            view = new AccountView();
            view.accountId = snapshot.accountId();
        }
        view.name = snapshot.name();
        view.segment = snapshot.segment();
        view.csmId = snapshot.csm() == null ? null : snapshot.csm().id();
        view.csmTeam = snapshot.csm() == null ? null : snapshot.csm().team();
        view.arr = snapshot.arr();
        view.renewalDate = snapshot.renewalDate();
        view.healthScore = snapshot.health() == null ? null : snapshot.health().score();
        view.healthColor = snapshot.health() == null || snapshot.health().color() == null ? null
                : snapshot.health().color().name();
        view.version = snapshot.version();
        view.updatedAt = Instant.now();
        view.persist();
        evaluation.snapshotChanged(List.of(snapshot.accountId()));
    }
}
