package io.beacon.engine.evaluation;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An evaluation that went wrong: which rule, for which account, why. */
@Entity
@Table(name = "rule_failure")
public class RuleFailure extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String ruleset;

    @Column(name = "ruleset_version", nullable = false)
    public int rulesetVersion;

    @Column(name = "rule_name")
    public String ruleName;

    @Column(nullable = false)
    public String message;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
}
