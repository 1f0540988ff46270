package io.beacon.engine.rules.model;

import java.math.BigDecimal;
import java.time.LocalDate;

import io.beacon.contracts.Segment;

/** The account being evaluated, as the engine knows it from accounts.snapshots. */
public class AccountFact {

    private final String id;
    private final Segment segment;
    private final String ownerCsmId;
    private final BigDecimal arr;
    private final LocalDate renewalDate;

    public AccountFact(String id, Segment segment, String ownerCsmId, BigDecimal arr, LocalDate renewalDate) {
        this.id = id;
        this.segment = segment;
        this.ownerCsmId = ownerCsmId;
        this.arr = arr;
        this.renewalDate = renewalDate;
    }

    public String getId() {
        return id;
    }

    public Segment getSegment() {
        return segment;
    }

    public String getOwnerCsmId() {
        return ownerCsmId;
    }

    public BigDecimal getArr() {
        return arr;
    }

    public LocalDate getRenewalDate() {
        return renewalDate;
    }
}
