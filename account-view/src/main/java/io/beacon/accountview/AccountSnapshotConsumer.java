package io.beacon.accountview;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.ContractChecks;
import io.beacon.contracts.Topics;
import io.beacon.platform.kafka.DeadLetters;
import io.beacon.platform.kafka.RecordChecks;
import io.beacon.platform.tx.DatabaseProbe;
import io.beacon.platform.tx.Failures;
import io.beacon.platform.tx.UntilCommitted;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Keeps the service's account view from the compacted {@code accounts.snapshots} topic (channel
 * {@value #CHANNEL}): a newer version replaces the stored one, an older one changes nothing, a
 * tombstone removes the account. The service's {@link AccountViewHooks} run in the same
 * transaction. A snapshot is applied in a transaction of its own, retried with backoff while the
 * database is away (an outage drops nothing); a record that is not a usable snapshot, or that the
 * database refuses for good, goes to {@code accounts.snapshots.dlq} (channel {@value #DLQ_CHANNEL})
 * with the reason.
 */
@ApplicationScoped
public class AccountSnapshotConsumer {

    public static final String CHANNEL = "accounts-in";
    public static final String DLQ_CHANNEL = "accounts-dlq";

    private static final AccountViewHooks NONE = new AccountViewHooks() {
    };

    private final MutinyEmitter<byte[]> deadLetters;
    private final DatabaseProbe database;
    private final ObjectMapper json;
    private final AccountViewHooks hooks;

    AccountSnapshotConsumer(@Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters, DatabaseProbe database,
            ObjectMapper json, Instance<AccountViewHooks> hooks) {
        this.deadLetters = deadLetters;
        this.database = database;
        this.json = json;
        this.hooks = hooks.isResolvable() ? hooks.get() : NONE;
    }

    @Incoming(CHANNEL)
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
        hooks.before(accountId);
        AccountSnapshot snapshot = record.value();
        if (snapshot == null) {
            AccountView.deleteById(accountId);
            hooks.removed(accountId);
            return;
        }
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
        view.test = snapshot.testAccount();
        view.updatedAt = Instant.now();
        view.persist();
        hooks.changed(snapshot, view);
    }
}
