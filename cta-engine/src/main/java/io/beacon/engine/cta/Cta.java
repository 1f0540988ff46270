package io.beacon.engine.cta;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A call-to-action for the account's CSM, and where it came from. */
@Entity
@Table(name = "cta")
public class Cta extends PanacheEntityBase {

    public static final String OPEN = "OPEN";
    public static final String SNOOZED = "SNOOZED";
    public static final String CLOSED = "CLOSED";
    public static final java.util.List<String> STATUSES = java.util.List.of(OPEN, SNOOZED, CLOSED);

    /** Raised by a rule: rules update and clear it. */
    public static final String RULE = "RULE";
    /** Raised by a person: rules never touch it; only people close it. */
    public static final String MANUAL = "MANUAL";

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String priority;

    @Column(nullable = false)
    public boolean escalated;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "owner_csm_id")
    public String ownerCsmId;

    @Column(nullable = false)
    public String ruleset;

    @Column(name = "ruleset_version", nullable = false)
    public int rulesetVersion;

    @Column(name = "rule_name", nullable = false)
    public String ruleName;

    /** JSON: the facts that matched (counts, ticket ids, thresholds, segment). */
    @Column(nullable = false)
    public String explanation;

    @Column(name = "close_reason")
    public String closeReason;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "snoozed_until")
    public Instant snoozedUntil;

    @Column(name = "close_comment")
    public String closeComment;

    /** When the CTA became an escalation (it stays one until it closes). */
    @Column(name = "escalated_at")
    public Instant escalatedAt;

    /** {@link #RULE} or {@link #MANUAL}. */
    @Column(nullable = false)
    public String origin = RULE;

    /** The playbook whose tasks were attached when the CTA opened, and its version (null: none matched). */
    @Column(name = "playbook")
    public String playbook;

    @Column(name = "playbook_version")
    public Integer playbookVersion;

    public boolean manual() {
        return MANUAL.equals(origin);
    }
}
