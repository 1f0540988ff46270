package io.beacon.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.beacon.contracts.CloudEventHeaders;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Builds outgoing Kafka messages keyed by account, with CloudEvents attributes as headers. */
public final class CloudEventRecords {

    private CloudEventRecords() {
    }

    public static <T> Message<T> message(T payload, String key, String id, String type, String source,
            String subject, Instant time) {
        return message(payload, null, key, id, type, source, subject, time);
    }

    /** @param topic the topic to write to, or {@code null} for the channel's configured topic */
    public static <T> Message<T> message(T payload, String topic, String key, String id, String type, String source,
            String subject, Instant time) {
        Headers headers = new RecordHeaders()
                .add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_1_0))
                .add(CloudEventHeaders.ID, bytes(id))
                .add(CloudEventHeaders.TYPE, bytes(type))
                .add(CloudEventHeaders.SOURCE, bytes(source))
                .add(CloudEventHeaders.TIME, bytes((time != null ? time : Instant.now()).toString()))
                .add(CloudEventHeaders.CONTENT_TYPE, bytes("application/json"));
        if (subject != null) {
            headers.add(CloudEventHeaders.SUBJECT, bytes(subject));
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder();
        if (topic != null) {
            metadata.withTopic(topic);
        }
        return Message.of(payload).addMetadata(metadata
                .withKey(key)
                .withHeaders(headers)
                .build());
    }

    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
