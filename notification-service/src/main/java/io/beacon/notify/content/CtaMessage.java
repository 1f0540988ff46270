package io.beacon.notify.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.beacon.contracts.CtaEvent;

/**
 * What every channel says about one CTA change: the change, the account and its segment, why the
 * rule fired (the explanation's facts) and where to open the CTA. Built from the stored event, so a
 * retry or a digest days later says what the original would have said.
 */
public record CtaMessage(String eventId, String ctaId, String kind, String headline, String accountId,
        String accountName, String segment, String type, String reason, String priority, boolean escalated,
        Instant dueAt, String rule, List<Fact> facts, String closeReason, String link) {

    public record Fact(String name, String value) {
    }

    public static CtaMessage of(CtaEvent event, String accountName, String segment, String uiBaseUrl) {
        String rule = event.rule() == null ? null
                : event.rule().rule() + " (" + event.rule().ruleset() + " v" + event.rule().version() + ")";
        return new CtaMessage(event.eventId(), event.ctaId(), event.kind().name(), headline(event), event.accountId(),
                accountName != null ? accountName : event.accountId(), segment != null ? segment : "unknown segment",
                event.type() == null ? null : event.type().name(), event.reason() != null ? event.reason() : "(no reason given)",
                event.priority() == null ? "MEDIUM" : event.priority().name(), event.escalated(), event.dueAt(), rule,
                facts(event.explanation()), event.closeReason(), trimSlash(uiBaseUrl) + "/#/accounts/"
                        + java.net.URLEncoder.encode(event.accountId(), java.nio.charset.StandardCharsets.UTF_8));
    }

    static String headline(CtaEvent event) {
        return switch (event.kind()) {
            case OPENED -> event.escalated() ? "New escalated CTA" : "New CTA";
            case UPDATED -> "CTA updated";
            case ESCALATED -> "CTA escalated";
            case CLOSED -> "CTA closed";
            case SNOOZED -> "CTA snoozed";
            case REOPENED -> "CTA reopened";
            case REASSIGNED -> "CTA reassigned";
        };
    }

    /** The explanation flattened to name/value lines, sorted by name so every channel lists them alike. */
    static List<Fact> facts(Map<String, Object> explanation) {
        if (explanation == null) {
            return List.of();
        }
        List<Fact> facts = new ArrayList<>();
        new TreeMap<>(explanation).forEach((name, value) -> facts.add(new Fact(name, text(value))));
        return List.copyOf(facts);
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> items) {
            return items.stream().map(CtaMessage::text).collect(Collectors.joining(", "));
        }
        if (value instanceof Map<?, ?> map) {
            return new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + "=" + text(e.getValue()))
                    .collect(Collectors.joining(", "));
        }
        return String.valueOf(value);
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
