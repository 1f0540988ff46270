package io.beacon.accounts.domain;

import java.time.Instant;

import io.beacon.contracts.Segment;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A team of CSMs serving one size segment. */
@Entity
@Table(name = "csm_team")
public class CsmTeam extends PanacheEntityBase {

    @Id
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Segment segment;

    /** The id of the CSM who leads the team, or null. */
    @Column(name = "lead")
    public String lead;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
