package io.beacon.notify.intake;

/** Why someone receives a notification. */
public enum RecipientRole {
    /** The account's CSM. */
    OWNER,
    /** The owner's team lead, for escalations. */
    TEAM_LEAD,
    /** The shared queue, for accounts without a known CSM. */
    TEAM_QUEUE,
    /** The executive escalation list. */
    EXECUTIVE,
    /** An outbound webhook subscription (a system, not a person). */
    SUBSCRIPTION
}
