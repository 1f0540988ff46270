package io.beacon.accounts.service;

import io.beacon.platform.errors.Refusal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.beacon.accounts.domain.Csm;
import io.beacon.accounts.domain.CsmTeam;
import io.beacon.accounts.rest.CsmRequest;
import io.beacon.accounts.rest.TeamRequest;
import io.beacon.contracts.Segment;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** CSM teams, their CSMs, and who gets a new account. */
@ApplicationScoped
public class CsmService {

    private final EntityManager em;
    private final AccountService accounts;

    CsmService(EntityManager em, AccountService accounts) {
        this.em = em;
        this.accounts = accounts;
    }

    @Transactional
    public CsmTeam createTeam(TeamRequest request) {
        if (CsmTeam.findById(request.name()) != null) {
            throw Refusal.conflict("A team named '" + request.name() + "' already exists.");
        }
        CsmTeam team = new CsmTeam();
        team.name = request.name();
        team.segment = request.segment();
        team.createdAt = Instant.now();
        team.persist();
        return team;
    }

    /** Creates the team unless one of that name exists. */
    @Transactional
    public void ensureTeam(TeamRequest request) {
        if (CsmTeam.findById(request.name()) == null) {
            createTeam(request);
        }
    }

    /** Makes {@code csmId}, a member of the team, its lead, and publishes the team's accounts again. */
    @Transactional
    public CsmTeam setLead(String teamName, String csmId) {
        CsmTeam team = CsmTeam.findById(teamName);
        if (team == null) {
            throw Refusal.notFound("No team named '" + teamName + "'.");
        }
        Csm csm = Csm.findById(csmId);
        if (csm == null || !csm.team.name.equals(teamName)) {
            throw Refusal.invalid("csmId", "'" + csmId + "' is not a CSM of team '" + teamName + "'.");
        }
        if (!csmId.equals(team.lead)) {
            team.lead = csmId;
            accounts.teamChanged(team);
        }
        return team;
    }

    @Transactional
    public List<CsmTeam> teams() {
        return CsmTeam.listAll(Sort.by("segment", "name"));
    }

    @Transactional
    public Csm createCsm(CsmRequest request) {
        if (Csm.findById(request.id()) != null) {
            throw Refusal.conflict("A CSM with id '" + request.id() + "' already exists.");
        }
        CsmTeam team = CsmTeam.findById(request.team());
        if (team == null) {
            throw Refusal.invalid(null, "Unknown team '" + request.team() + "'; create the team first.");
        }
        Csm csm = new Csm();
        csm.id = request.id();
        csm.name = request.name();
        csm.email = request.email();
        csm.team = team;
        csm.createdAt = Instant.now();
        csm.persist();
        return csm;
    }

    @Transactional
    public List<Csm> csms() {
        return Csm.list("from Csm c join fetch c.team order by c.team.name, c.id");
    }

    /**
     * The CSM with the fewest accounts among the teams serving {@code segment} (ties: lowest id),
     * or none when no team serves it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Csm> leastLoaded(Segment segment) {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery("""
                SELECT c.id FROM csm c
                JOIN csm_team t ON t.name = c.team
                LEFT JOIN account a ON a.csm_id = c.id
                WHERE t.segment = ?1
                GROUP BY c.id
                ORDER BY count(a.id), c.id
                LIMIT 1
                """).setParameter(1, segment.name()).getResultList();
        return ids.stream().findFirst().map(id -> Csm.findById(id));
    }
}
