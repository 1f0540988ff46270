package io.beacon.accountview;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import io.beacon.contracts.Segment;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A service's copy of an account, kept current from {@code accounts.snapshots} by
 * {@link AccountSnapshotConsumer}: who owns it, its segment, ARR, renewal and health. Each service
 * that has one keeps it in an {@code account_view} table of its own schema.
 */
@Entity
@Table(name = "account_view")
public class AccountView extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public String accountId;

    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Segment segment;

    @Column(name = "csm_id")
    public String csmId;

    @Column(name = "csm_team")
    public String csmTeam;

    public BigDecimal arr;

    @Column(name = "renewal_date")
    public LocalDate renewalDate;

    @Column(name = "health_score")
    public Integer healthScore;

    /** RED, YELLOW or GREEN, from the account's scorecard. */
    @Column(name = "health_color")
    public String healthColor;

    @Column(nullable = false)
    public long version;

    /** A test or benchmark account: the executive dashboard leaves it out. */
    @Column(nullable = false)
    public boolean test;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
