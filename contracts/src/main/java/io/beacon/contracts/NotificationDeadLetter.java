package io.beacon.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A notification that could not be delivered after every retry, as published on
 * {@link Topics#NOTIFICATIONS_DLQ} keyed by recipient. {@code deliveryId} names the delivery an admin
 * can retry through notification-service's API; {@code eventId} is null for a daily digest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationDeadLetter(
        long deliveryId,
        String eventId,
        String ctaId,
        String accountId,
        String recipientId,
        String channel,
        String address,
        int attempts,
        String reason,
        Instant deadAt) {
}
