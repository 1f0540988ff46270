package io.beacon.notify.domain;

/** Where a notification can reach a person. */
public enum Channel {
    EMAIL, WEBHOOK, INBOX
}
