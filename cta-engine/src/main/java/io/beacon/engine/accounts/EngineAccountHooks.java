package io.beacon.engine.accounts;

import java.time.Clock;
import java.util.List;

import io.beacon.accountview.AccountView;
import io.beacon.accountview.AccountViewHooks;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.engine.evaluation.EvaluationService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * What the engine does with a snapshot: it takes the account's lock first (so tickets and their
 * account arriving together are never evaluated apart), and once the account is new or changed,
 * replays the events that waited for it and evaluates it at its clock. Its CSM goes to the
 * {@link CsmDirectory}. When its health colour turns RED from another colour, that is recorded: rule
 * quality counts it as a situation the rules should have warned about.
 */
@ApplicationScoped
public class EngineAccountHooks implements AccountViewHooks {

    private final EvaluationService evaluation;
    private final CsmDirectory csms;
    private final EntityManager em;
    private final Clock clock;

    EngineAccountHooks(EvaluationService evaluation, CsmDirectory csms, EntityManager em, Clock clock) {
        this.evaluation = evaluation;
        this.csms = csms;
        this.em = em;
        this.clock = clock;
    }

    @Override
    public void before(String accountId) {
        evaluation.lockAccounts(List.of(accountId));
    }

    @Override
    public void changed(AccountSnapshot snapshot, AccountView view) {
        csms.remember(snapshot.csm());
        if (snapshot.health() != null && snapshot.health().color() != null) {
            health(view.accountId, snapshot.health().color().name());
        }
        evaluation.snapshotChanged(List.of(view.accountId));
    }

    /** Keeps the account's colour; a turn to RED from another known colour is recorded with its time. */
    private void health(String accountId, String color) {
        List<?> previous = em.createNativeQuery("SELECT color FROM account_health WHERE account_id = ?1")
                .setParameter(1, accountId).getResultList();
        if (!previous.isEmpty() && previous.get(0).equals(color)) {
            return;
        }
        java.time.Instant now = clock.instant();
        em.createNativeQuery("""
                INSERT INTO account_health (account_id, color, since) VALUES (?1, ?2, ?3)
                ON CONFLICT (account_id) DO UPDATE SET color = excluded.color, since = excluded.since""")
                .setParameter(1, accountId).setParameter(2, color).setParameter(3, now).executeUpdate();
        if (!previous.isEmpty() && "RED".equals(color)) {
            em.createNativeQuery("INSERT INTO account_turned_red (account_id, previous, at) VALUES (?1, ?2, ?3)")
                    .setParameter(1, accountId).setParameter(2, previous.get(0)).setParameter(3, now).executeUpdate();
        }
    }
}
