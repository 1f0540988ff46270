package io.beacon.notify.accounts;

import java.math.BigDecimal;
import java.time.Instant;

import io.beacon.contracts.Segment;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** This service's copy of an account, from {@code accounts.snapshots}: enough to route and to describe it. */
@Entity
@Table(name = "account_view")
public class AccountView extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public String accountId;

    public String name;

    @Enumerated(EnumType.STRING)
    public Segment segment;

    public BigDecimal arr;

    @Column(name = "csm_id")
    public String csmId;

    @Column(name = "csm_team")
    public String csmTeam;

    public long version;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
