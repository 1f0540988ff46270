package io.beacon.engine.rules;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The audit trail of rule operations. */
@Entity
@Table(name = "ruleset_audit")
public class RulesetAudit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public int version;

    public String action;

    public String actor;

    public String comment;

    public String detail;

    public Instant at;
}
