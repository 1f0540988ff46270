package io.beacon.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Helpers for consumers that read typed records with {@code fail-on-deserialization-failure=false}. */
public final class IncomingRecords {

    /** Header SmallRye sets on a record whose value could not be deserialised. */
    public static final String DESERIALIZATION_FAILURE_REASON = "deserialization-failure-reason";

    private IncomingRecords() {
    }

    /**
     * The record's value; for an unreadable record, an exception carrying the reason, so the
     * dead-letter strategy sets the record aside with it.
     */
    public static <T> T valueOrFail(ConsumerRecord<?, T> record, String what) {
        T value = record.value();
        if (value == null) {
            String reason = CloudEventRecords.header(record.headers(), DESERIALIZATION_FAILURE_REASON);
            throw new IllegalArgumentException("not a readable " + what + ": " + (reason != null ? reason : "empty value"));
        }
        return value;
    }
}
