package io.beacon.notify.delivery;

public enum DeliveryStatus {
    /** Due at {@code next_attempt_at} (later than now during quiet hours or after a failure). */
    PENDING,
    /** Waiting for the recipient's next daily digest. */
    DIGEST,
    /** Carried by a digest delivery ({@code digest_id}). */
    DIGESTED,
    SENT,
    /** Every attempt failed; see the dead letter. */
    DEAD
}
