package io.beacon.platform.tx;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Runs something once the current transaction has committed, and not at all if it rolls back. */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Registers {@code action} on the current transaction (there must be one). */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    /** Like {@link #run}, but once per transaction for {@code key}, however often it is asked for. */
    public static void once(TransactionSynchronizationRegistry transactions, Object key, Runnable action) {
        if (transactions.getResource(key) == null) {
            transactions.putResource(key, Boolean.TRUE);
            run(transactions, action);
        }
    }
}
