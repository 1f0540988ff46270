package io.beacon.notify.accounts;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.ContractChecks;
import io.beacon.contracts.Topics;
import io.beacon.notify.intake.Recipient;
import io.beacon.platform.kafka.DeadLetters;
import io.beacon.platform.kafka.RecordChecks;
import io.beacon.platform.tx.DatabaseProbe;
import io.beacon.platform.tx.Failures;
import io.beacon.platform.tx.UntilCommitted;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the local account view and the recipient directory from the compacted
 * {@code accounts.snapshots} topic: who owns each account, and each CSM's name, address and team.
 * Older versions than the stored one are ignored; a tombstone removes the account.
 */
@ApplicationScoped
public class AccountSnapshotConsumer {

    public static final String CHANNEL = "accounts-in";

    public static final String DLQ_CHANNEL = "accounts-dlq";

    private final MutinyEmitter<byte[]> deadLetters;
    private final DatabaseProbe database;
    private final ObjectMapper json;

    AccountSnapshotConsumer(@Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters, DatabaseProbe database,
            ObjectMapper json) {
        this.deadLetters = deadLetters;
        this.database = database;
        this.json = json;
    }

    /**
     * Applied in a transaction of its own, retried with backoff while the database is away (an outage
     * drops nothing). A record that is not a usable snapshot, or that the database refuses for good,
     * goes to {@code accounts.snapshots.dlq} with the reason.
     */
    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, AccountSnapshot> record) throws InterruptedException {
        String problem = RecordChecks.isTombstone(record) ? null
                : RecordChecks.problem(record, "account snapshot", ContractChecks::accountSnapshot, AccountSnapshot::accountId);
        if (problem != null) {
            deadLetter(record, problem);
            return;
        }
        UntilCommitted.Outcome<Void> outcome = UntilCommitted.callUnlessPermanent(
                "the account snapshot at offset " + record.offset(), () -> {
                    apply(record);
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

    private void apply(ConsumerRecord<String, AccountSnapshot> record) {
        AccountSnapshot snapshot = record.value();
        if (snapshot == null) {
            AccountView.deleteById(record.key());
            return;
        }
        Instant now = Instant.now();
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
        view.arr = snapshot.arr();
        view.csmId = snapshot.csm() == null ? null : snapshot.csm().id();
        view.csmTeam = snapshot.csm() == null ? null : snapshot.csm().team();
        view.version = snapshot.version();
        view.updatedAt = now;
        view.persist();
        if (snapshot.csm() != null && snapshot.csm().id() != null) {
            Recipient csm = Recipient.findById(snapshot.csm().id());
            if (csm == null) {
                csm = new Recipient();
                csm.recipientId = snapshot.csm().id();
            }
            csm.name = snapshot.csm().name();
            csm.email = snapshot.csm().email();
            csm.team = snapshot.csm().team();
            csm.updatedAt = now;
            csm.persist();
        }
    }
}
