package io.beacon.engine.cta;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The audit of one reassignment: who gave the CTA from whom to whom, when and why. */
@Entity
@Table(name = "cta_assignment")
public class CtaAssignment extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cta_id", nullable = false)
    public String ctaId;

    @Column(name = "from_csm")
    public String fromCsm;

    @Column(name = "to_csm", nullable = false)
    public String toCsm;

    @Column(nullable = false)
    public String actor;

    public String comment;

    @Column(nullable = false)
    public Instant at;
}
