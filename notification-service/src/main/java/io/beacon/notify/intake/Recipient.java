package io.beacon.notify.intake;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A person Beacon can notify, as the account snapshots describe them. */
@Entity
@Table(name = "recipient")
public class Recipient extends PanacheEntityBase {

    @Id
    @Column(name = "recipient_id")
    public String recipientId;

    public String name;

    public String email;

    public String team;

    /** The id of the CSM who leads this CSM's team, or null. */
    @Column(name = "team_lead")
    public String teamLead;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
