package io.beacon.accounts.domain;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

@Entity
@Table(name = "csm")
public class Csm extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String email;

    @ManyToOne(optional = false)
    @JoinColumn(name = "team", nullable = false)
    public CsmTeam team;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
