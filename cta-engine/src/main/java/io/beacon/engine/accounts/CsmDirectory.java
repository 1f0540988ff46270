package io.beacon.engine.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.beacon.contracts.AccountSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The CSMs the engine knows, kept from the account snapshots (account-service owns them): a CTA may be
 * given only to one of them, a person signed in with another user name is found by e-mail, and a
 * team's lead sees the team's CTAs.
 */
@ApplicationScoped
public class CsmDirectory {

    /** Records the snapshot's CSM (in the snapshot's transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void remember(AccountSnapshot.Csm csm) {
        if (csm == null || csm.id() == null) {
            return;
        }
        CsmEntry entry = CsmEntry.findById(csm.id());
        if (entry == null) {
            entry = new CsmEntry();
            entry.csmId = csm.id();
        }
        entry.name = csm.name();
        entry.email = csm.email();
        entry.team = csm.team();
        entry.teamLead = csm.teamLead();
        entry.updatedAt = Instant.now();
        entry.persist();
    }

    @Transactional
    public Optional<CsmEntry> find(String csmId) {
        return csmId == null ? Optional.empty() : Optional.ofNullable(CsmEntry.findById(csmId));
    }

    /** The CSM with this e-mail address (case-insensitive), when exactly one has it. */
    @Transactional
    public Optional<CsmEntry> byEmail(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        List<CsmEntry> found = CsmEntry.list("lower(email) = ?1", email.toLowerCase(Locale.ROOT));
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** The teams {@code csmId} leads. */
    @Transactional
    public List<String> teamsLedBy(String csmId) {
        return CsmEntry.<CsmEntry> list("teamLead = ?1", csmId).stream().map(e -> e.team).distinct().sorted().toList();
    }

    /** The CSMs of a team, by name. */
    @Transactional
    public List<CsmEntry> team(String team) {
        return CsmEntry.list("team = ?1 order by name, csmId", team);
    }

    /** Every known CSM, by team then name. */
    @Transactional
    public List<CsmEntry> all() {
        return CsmEntry.list("order by team, name, csmId");
    }
}
