package io.beacon.platform.kafka;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.beacon.contracts.ContractChecks;

/**
 * What every consumer asks of a record before it touches the database: it was readable, it is
 * within the contract's limits, and it is keyed by its account (every topic is, so that an
 * account's records stay in order). Any producer may write to Beacon's topics, so nothing is
 * assumed of a record because Beacon's own services would have written it correctly.
 */
public final class RecordChecks {

    private RecordChecks() {
    }

    /**
     * @param what what the record should be ("ticket event"), for the reason
     * @param check the contract's check for the value
     * @param accountId the value's account id
     * @return why the record cannot be used, or null when it can
     */
    public static <T> String problem(ConsumerRecord<String, T> record, String what,
            Function<T, List<ContractChecks.Violation>> check, Function<T, String> accountId) {
        T value = record.value();
        if (value == null) {
            return DeadLetters.unreadableReason(record, what);
        }
        List<ContractChecks.Violation> violations = check.apply(value);
        if (!violations.isEmpty()) {
            return "not a valid " + what + ": " + violations.stream()
                    .map(v -> (v.field().isEmpty() ? "" : v.field() + " ") + v.message())
                    .collect(Collectors.joining("; "));
        }
        String account = accountId.apply(value);
        if (!account.equals(record.key())) {
            return "the record key (" + (record.key() == null ? "none" : "'" + abbreviate(record.key()) + "'")
                    + ") is not the " + what + "'s accountId; " + record.topic()
                    + " is keyed by accountId so that an account's records stay in order";
        }
        return null;
    }

    /** A record with no value that is not a deserialisation failure: a tombstone, when it has a key. */
    public static boolean isTombstone(ConsumerRecord<String, ?> record) {
        return record.value() == null
                && CloudEventRecords.header(record.headers(), IncomingRecords.DESERIALIZATION_FAILURE_REASON) == null
                && record.key() != null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
