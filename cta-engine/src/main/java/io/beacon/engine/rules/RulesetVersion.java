package io.beacon.engine.rules;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One version of a ruleset as stored: its DRL files, parameters and scenarios (JSON), and its life. */
@Entity
@Table(name = "ruleset_version")
public class RulesetVersion extends PanacheEntityBase {

    public enum Status {
        DRAFT, ACTIVE, RETIRED,
        /** A draft someone threw away: kept for the audit, never activated. */
        DISCARDED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public int version;

    @Enumerated(EnumType.STRING)
    public Status status;

    public String files;

    public String params;

    public String scenarios;

    public String checksum;

    public String author;

    public String comment;

    public String source;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;
}
