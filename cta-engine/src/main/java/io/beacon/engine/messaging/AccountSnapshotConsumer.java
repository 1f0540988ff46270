package io.beacon.engine.messaging;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.engine.domain.AccountView;
import io.beacon.engine.service.EvaluationService;
import io.beacon.platform.kafka.CloudEventRecords;
import io.beacon.platform.kafka.IncomingRecords;
import io.beacon.platform.tx.UntilCommitted;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the engine's account view from the compacted {@code accounts.snapshots} topic: newer
 * versions replace older ones, a tombstone removes the account. A new or changed account is
 * evaluated at once, so tickets that arrived before their account are not forgotten.
 */
@ApplicationScoped
public class AccountSnapshotConsumer {

    private static final Logger LOG = Logger.getLogger(AccountSnapshotConsumer.class);

    private final EvaluationService evaluation;

    AccountSnapshotConsumer(EvaluationService evaluation) {
        this.evaluation = evaluation;
    }

    /**
     * A snapshot is applied in a transaction of its own, retried with backoff until the database
     * takes it (an outage must not drop an account: its tickets would never be evaluated).
     */
    @Incoming("accounts-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, AccountSnapshot> record) throws InterruptedException {
        if (record.value() == null
                && CloudEventRecords.header(record.headers(), IncomingRecords.DESERIALIZATION_FAILURE_REASON) != null) {
            LOG.warnf("Skipping unreadable account snapshot for %s: %s", record.key(),
                    CloudEventRecords.header(record.headers(), IncomingRecords.DESERIALIZATION_FAILURE_REASON));
            return;
        }
        String accountId = record.value() != null ? record.value().accountId() : record.key();
        if (accountId == null) {
            LOG.warnf("Skipping an account snapshot without account id (offset %d)", record.offset());
            return;
        }
        UntilCommitted.call("the account snapshot of " + accountId, () -> {
            apply(record, accountId);
            return null;
        }, () -> {
        });
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
        evaluation.evaluate(snapshot.accountId());
    }
}
