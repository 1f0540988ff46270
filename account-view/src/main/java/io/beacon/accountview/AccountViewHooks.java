package io.beacon.accountview;

import io.beacon.contracts.AccountSnapshot;

/**
 * What a service does around a snapshot, in the snapshot's transaction. A service that has an
 * account view provides one bean of this type (or none: then the view is all there is).
 */
public interface AccountViewHooks {

    /** Before the stored view is read: e.g. take the account's lock. */
    default void before(String accountId) {
    }

    /** The view now holds a newer version of the account. */
    default void changed(AccountSnapshot snapshot, AccountView view) {
    }

    /** The account was removed (a tombstone). */
    default void removed(String accountId) {
    }
}
