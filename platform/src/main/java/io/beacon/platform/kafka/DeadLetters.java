package io.beacon.platform.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CloudEventHeaders;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Builds the record that sets an unusable input aside on a dead-letter topic: the original bytes
 * (as read, when they could not be deserialised), the original headers, the reason and where the
 * record came from, in the header names SmallRye's own dead-letter strategy uses.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * @param readable the value to write when the record was deserialised but is unusable (e.g. the
     *        JSON it was read as); ignored when the original bytes are still attached to the record
     */
    public static Message<byte[]> message(ConsumerRecord<String, ?> record, String dlqTopic, String reason,
            byte[] readable) {
        var data = record.headers().lastHeader("deserialization-failure-data");
        byte[] original = data != null ? data.value() : (readable != null ? readable : new byte[0]);
        Headers headers = new RecordHeaders();
        record.headers().forEach(h -> {
            if (!h.key().startsWith("deserialization-failure")) {
                headers.add(h);
            }
        });
        headers.add(CloudEventHeaders.DLQ_REASON, bytes(reason));
        headers.add("dead-letter-topic", bytes(record.topic()));
        headers.add("dead-letter-partition", bytes(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", bytes(Long.toString(record.offset())));
        return Message.of(original).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(dlqTopic).withKey(record.key()).withHeaders(headers).build());
    }

    /** A record that was read but cannot be used, written back as the JSON that was read (null if none). */
    public static byte[] asJson(ObjectMapper json, ConsumerRecord<String, ?> record) {
        try {
            return record.value() == null ? null : json.writeValueAsBytes(record.value());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Why an unreadable record could not be read, from the header SmallRye's deserialiser sets. */
    public static String unreadableReason(ConsumerRecord<?, ?> record, String what) {
        String reason = CloudEventRecords.header(record.headers(), IncomingRecords.DESERIALIZATION_FAILURE_REASON);
        return "not a readable " + what + ": " + (reason != null ? reason : "empty value");
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
