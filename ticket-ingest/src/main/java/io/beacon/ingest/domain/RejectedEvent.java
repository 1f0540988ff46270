package io.beacon.ingest.domain;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "rejected_event")
public class RejectedEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    public String source;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "account_id")
    public String accountId;

    @Column(nullable = false)
    public String reason;

    public String payload;
}
