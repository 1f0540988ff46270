package io.beacon.engine.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.beacon.contracts.CtaEvent;

/**
 * CTA change histories in a form two runs can be compared in: per account, in order, every field of
 * every change except the random ids (a CTA is named by the order it first appeared in).
 */
final class Histories {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Histories() {
    }

    static Map<String, List<String>> of(List<CtaEvent> events) {
        Map<String, List<String>> byAccount = new TreeMap<>();
        Map<String, Map<String, Integer>> ctaNumbers = new HashMap<>();
        for (CtaEvent e : events) {
            Map<String, Integer> numbers = ctaNumbers.computeIfAbsent(e.accountId(), a -> new HashMap<>());
            int cta = numbers.computeIfAbsent(e.ctaId(), id -> numbers.size() + 1);
            byAccount.computeIfAbsent(e.accountId(), a -> new ArrayList<>()).add(String.join(" | ",
                    "cta#" + cta, e.kind().name(), String.valueOf(e.occurredAt()), e.type() + "/" + e.reason(),
                    e.priority().name(), e.escalated() ? "escalated" : "-", String.valueOf(e.dueAt()),
                    e.rule().ruleset() + " v" + e.rule().version() + " " + e.rule().rule(), json(e.explanation()),
                    String.valueOf(e.closeReason())));
        }
        return byAccount;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each account's CTA records on ctas.events, read until there are as many as {@code expected} names. */
    static Map<String, List<String>> published(io.beacon.localstack.testing.BeaconTestInfra infra,
            Map<String, List<String>> expected) throws Exception {
        List<CtaEvent> published = new java.util.ArrayList<>();
        for (Map.Entry<String, List<String>> account : expected.entrySet()) {
            for (org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r : infra.awaitRecords(
                    io.beacon.contracts.Topics.CTAS_EVENTS, account.getKey(), account.getValue().size())) {
                published.add(JSON.readerFor(CtaEvent.class)
                        .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(r.value()));
            }
        }
        return of(published);
    }
}
