package io.beacon.notify.accounts;

import java.time.Instant;

import io.beacon.accountview.AccountView;
import io.beacon.accountview.AccountViewHooks;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.notify.intake.Recipient;
import jakarta.enterprise.context.ApplicationScoped;

/** Keeps the recipient directory from the snapshots: each account's CSM with name, address and team. */
@ApplicationScoped
public class RecipientDirectory implements AccountViewHooks {

    @Override
    public void changed(AccountSnapshot snapshot, AccountView view) {
        if (snapshot.csm() == null || snapshot.csm().id() == null) {
            return;
        }
        Recipient csm = Recipient.findById(snapshot.csm().id());
        if (csm == null) {
            csm = new Recipient();
            csm.recipientId = snapshot.csm().id();
        }
        csm.name = snapshot.csm().name();
        csm.email = snapshot.csm().email();
        csm.team = snapshot.csm().team();
        csm.teamLead = snapshot.csm().teamLead();
        csm.updatedAt = Instant.now();
        csm.persist();
    }
}
