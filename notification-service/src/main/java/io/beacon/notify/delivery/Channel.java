package io.beacon.notify.delivery;

/** Where a notification can reach a person. */
public enum Channel {
    EMAIL, WEBHOOK, INBOX
}
