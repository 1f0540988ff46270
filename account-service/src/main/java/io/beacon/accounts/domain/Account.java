package io.beacon.accounts.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import io.beacon.contracts.Segment;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;

@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int employees;

    /** Derived from {@link #employees}; stored so lists can filter on it. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Segment segment;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "csm_id")
    public Csm csm;

    public BigDecimal arr;

    @Column(name = "renewal_date")
    public LocalDate renewalDate;

    @Column(name = "lifecycle_stage")
    public String lifecycleStage;

    /** Source system (e.g. "zendesk") to this account's id there. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "account_external_id", joinColumns = @JoinColumn(name = "account_id"))
    @MapKeyColumn(name = "source")
    @Column(name = "external_id")
    public Map<String, String> externalIds = new HashMap<>();

    @Column(name = "health_score")
    public Integer healthScore;

    @Column(name = "health_color")
    public String healthColor;

    /** JSON list of {name, weight, score}; see HealthScorecard. */
    @Column(name = "health_measures")
    public String healthMeasures;

    @Column(nullable = false)
    public long version;

    /** A test or benchmark account (see {@link io.beacon.contracts.AccountSnapshot#test()}). */
    @Column(nullable = false)
    public boolean test;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public void setEmployees(int employees) {
        this.employees = employees;
        this.segment = Segment.forEmployees(employees);
    }
}
