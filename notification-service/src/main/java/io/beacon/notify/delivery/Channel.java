package io.beacon.notify.delivery;

/** Where a notification can reach a person. */
public enum Channel {
    EMAIL, WEBHOOK, INBOX,
    /** A subscriber's own endpoint (CRM, automation tool): the change as a signed CloudEvent. */
    OUTBOUND
}
