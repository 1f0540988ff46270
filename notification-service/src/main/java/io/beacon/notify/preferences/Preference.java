package io.beacon.notify.preferences;

import java.time.Instant;
import java.time.LocalTime;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A recipient's stored preferences; {@code channels} is the JSON of the per-channel, per-priority modes. */
@Entity
@Table(name = "preference")
public class Preference extends PanacheEntityBase {

    @Id
    @Column(name = "recipient_id")
    public String recipientId;

    @Column(name = "time_zone")
    public String timeZone;

    @Column(name = "quiet_start")
    public LocalTime quietStart;

    @Column(name = "quiet_end")
    public LocalTime quietEnd;

    @Column(name = "digest_at")
    public LocalTime digestAt;

    public String channels;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
