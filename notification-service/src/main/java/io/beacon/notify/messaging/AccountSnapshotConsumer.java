package io.beacon.notify.messaging;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.beacon.contracts.AccountSnapshot;
import io.beacon.notify.domain.AccountView;
import io.beacon.notify.domain.Recipient;
import io.beacon.platform.kafka.DeadLetters;
import io.beacon.platform.tx.UntilCommitted;
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

    private static final Logger LOG = Logger.getLogger(AccountSnapshotConsumer.class);

    /** Applied in a transaction of its own, retried with backoff until the database takes it (an outage drops nothing). */
    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, AccountSnapshot> record) throws InterruptedException {
        UntilCommitted.call("the account snapshot at offset " + record.offset(), () -> {
            apply(record);
            return null;
        }, () -> {
        });
    }

    private void apply(ConsumerRecord<String, AccountSnapshot> record) {
        AccountSnapshot snapshot = record.value();
        if (snapshot == null) {
            if (record.headers().lastHeader("deserialization-failure-reason") != null) {
                LOG.warnf("Skipping account snapshot for %s: %s", record.key(),
                        DeadLetters.unreadableReason(record, "account snapshot"));
            } else if (record.key() != null) {
                AccountView.deleteById(record.key());
            }
            return;
        }
        if (snapshot.accountId() == null) {
            LOG.warnf("Skipping an account snapshot without account id (offset %d)", record.offset());
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
