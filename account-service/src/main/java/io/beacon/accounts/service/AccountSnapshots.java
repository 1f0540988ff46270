package io.beacon.accounts.service;

import io.beacon.accounts.domain.Account;
import io.beacon.contracts.AccountSnapshot;

/** Maps an account entity to its wire snapshot; entities never go on the wire. */
public final class AccountSnapshots {

    private AccountSnapshots() {
    }

    public static AccountSnapshot of(Account account) {
        AccountSnapshot.Csm csm = account.csm == null ? null
                : new AccountSnapshot.Csm(account.csm.id, account.csm.name, account.csm.email, account.csm.team);
        return new AccountSnapshot(account.id, account.name, account.employees, account.segment, csm, account.arr,
                account.renewalDate, null, account.version);
    }
}
