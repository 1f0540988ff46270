package io.beacon.engine.accounts;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A CSM as the account snapshots last described them: who may own CTAs, and who leads their team. */
@Entity
@Table(name = "csm_directory")
public class CsmEntry extends PanacheEntityBase {

    @Id
    @Column(name = "csm_id")
    public String csmId;

    public String name;

    public String email;

    public String team;

    @Column(name = "team_lead")
    public String teamLead;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
