package io.beacon.engine.accounts;

import java.util.List;

import io.beacon.accountview.AccountView;
import io.beacon.accountview.AccountViewHooks;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.engine.evaluation.EvaluationService;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the engine does with a snapshot: it takes the account's lock first (so tickets and their
 * account arriving together are never evaluated apart), and once the account is new or changed,
 * replays the events that waited for it and evaluates it at its clock. Its CSM goes to the
 * {@link CsmDirectory}.
 */
@ApplicationScoped
public class EngineAccountHooks implements AccountViewHooks {

    private final EvaluationService evaluation;
    private final CsmDirectory csms;

    EngineAccountHooks(EvaluationService evaluation, CsmDirectory csms) {
        this.evaluation = evaluation;
        this.csms = csms;
    }

    @Override
    public void before(String accountId) {
        evaluation.lockAccounts(List.of(accountId));
    }

    @Override
    public void changed(AccountSnapshot snapshot, AccountView view) {
        csms.remember(snapshot.csm());
        evaluation.snapshotChanged(List.of(view.accountId));
    }
}
