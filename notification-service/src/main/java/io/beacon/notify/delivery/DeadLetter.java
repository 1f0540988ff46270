package io.beacon.notify.delivery;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A delivery that failed every attempt, and whether an admin has sent it round again. */
@Entity
@Table(name = "dead_letter")
public class DeadLetter extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "delivery_id")
    public long deliveryId;

    public String reason;

    public int attempts;

    @Column(name = "dead_at")
    public Instant deadAt;

    @Column(name = "retried_at")
    public Instant retriedAt;

    @Column(name = "retried_by")
    public String retriedBy;
}
