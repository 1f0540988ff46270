package io.beacon.ingest.accounts;

import java.util.List;
import java.util.Optional;

import io.beacon.accountview.AccountView;
import io.beacon.accountview.AccountViewHooks;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.ingest.parking.Releaser;
import io.beacon.platform.tx.AfterCommit;
import io.beacon.platform.tx.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * Which account carries a desk's organisation, as account-service says (the external ids on each
 * account's snapshot). Kept in the snapshot's transaction; once it commits, events parked for an
 * organisation that now has an account are released.
 */
@ApplicationScoped
public class ExternalIds implements AccountViewHooks {

    private final EntityManager em;
    private final Releaser releaser;
    private final TransactionSynchronizationRegistry transactions;

    ExternalIds(EntityManager em, Releaser releaser, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.releaser = releaser;
        this.transactions = transactions;
    }

    @Override
    public void changed(AccountSnapshot snapshot, AccountView view) {
        Jdbc.update(em, "DELETE FROM account_external_id WHERE account_id = ?", snapshot.accountId());
        Jdbc.Batch rows = Jdbc.batch("""
                INSERT INTO account_external_id (source, external_id, account_id) VALUES (?, ?, ?)
                ON CONFLICT (source, external_id) DO UPDATE SET account_id = EXCLUDED.account_id""");
        snapshot.externalIdsOrNone().forEach((source, id) -> rows.add(source, id, snapshot.accountId()));
        rows.execute(em);
        if (!snapshot.externalIdsOrNone().isEmpty()) {
            AfterCommit.once(transactions, Releaser.class, releaser::trigger);
        }
    }

    @Override
    public void removed(String accountId) {
        Jdbc.update(em, "DELETE FROM account_external_id WHERE account_id = ?", accountId);
    }

    /** The account carrying {@code externalId} in {@code source}, if any. */
    @Transactional
    public Optional<String> account(String source, String externalId) {
        @SuppressWarnings("unchecked")
        List<String> found = em.createNativeQuery(
                "SELECT account_id FROM account_external_id WHERE source = ?1 AND external_id = ?2")
                .setParameter(1, source).setParameter(2, externalId).getResultList();
        return found.stream().findFirst();
    }
}
