package io.beacon.contracts;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documented limits of Beacon's records, checked wherever one enters: at ticket-ingest and
 * account-service (answered with 400 naming the field) and again by every consumer, because any
 * Kafka producer may write to the topics directly (what fails goes to the topic's dead-letter
 * topic with the reason). A record within these limits can always be stored.
 *
 * <ul>
 * <li>Text is valid Unicode (no unpaired surrogate) without control characters; only free text
 * ({@code subject}, names, reasons) may hold tabs and line breaks.
 * <li>Ids are 1 to {@value #MAX_ID} characters; free text at most {@value #MAX_TEXT}; at most
 * {@value #MAX_TAGS} tags of at most {@value #MAX_TAG} characters.
 * <li>Instants and dates lie between {@link #EARLIEST} and {@link #LATEST}; amounts (ARR) are at
 * least 0, below 10^14 and have at most 2 decimals.
 * </ul>
 */
public final class ContractChecks {

    public static final int MAX_ID = 200;
    public static final int MAX_TEXT = 2_000;
    public static final int MAX_TAGS = 100;
    public static final int MAX_TAG = 100;
    public static final int MAX_EXPLANATION_ENTRIES = 100;
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final LocalDate EARLIEST_DATE = LocalDate.of(1970, 1, 1);
    private static final LocalDate LATEST_DATE = LocalDate.of(9999, 12, 31);
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e14");

    /** One broken limit: the field (dotted path) and what is wrong with it. */
    public record Violation(String field, String message) {
    }

    private ContractChecks() {
    }

    public static List<Violation> ticketEvent(TicketEvent event) {
        List<Violation> out = new ArrayList<>();
        if (event == null) {
            out.add(new Violation("", "the record is not a ticket event"));
            return out;
        }
        id(out, "eventId", event.eventId(), true);
        id(out, "accountId", event.accountId(), true);
        present(out, "source", event.source());
        present(out, "type", event.type());
        instant(out, "occurredAt", event.occurredAt(), true);
        TicketEvent.Ticket ticket = event.ticket();
        if (ticket == null) {
            out.add(new Violation("ticket", "is required"));
            return out;
        }
        id(out, "ticket.id", ticket.id(), true);
        present(out, "ticket.status", ticket.status());
        text(out, "ticket.subject", ticket.subject(), MAX_TEXT, false);
        id(out, "ticket.requesterId", ticket.requesterId(), false);
        id(out, "ticket.assigneeId", ticket.assigneeId(), false);
        instant(out, "ticket.createdAt", ticket.createdAt(), false);
        instant(out, "ticket.updatedAt", ticket.updatedAt(), true);
        if (ticket.tags().size() > MAX_TAGS) {
            out.add(new Violation("ticket.tags", "holds " + ticket.tags().size() + " tags; at most " + MAX_TAGS
                    + " are allowed"));
        } else {
            for (int i = 0; i < ticket.tags().size(); i++) {
                text(out, "ticket.tags[" + i + "]", ticket.tags().get(i), MAX_TAG, true);
                if (ticket.tags().get(i) != null && hasLineBreak(ticket.tags().get(i))) {
                    out.add(new Violation("ticket.tags[" + i + "]", "may not contain line breaks or tabs"));
                }
            }
        }
        if (ticket.sla() != null) {
            instant(out, "ticket.sla.firstReplyDueAt", ticket.sla().firstReplyDueAt(), false);
            instant(out, "ticket.sla.resolutionDueAt", ticket.sla().resolutionDueAt(), false);
        }
        return out;
    }

    public static List<Violation> accountSnapshot(AccountSnapshot snapshot) {
        List<Violation> out = new ArrayList<>();
        if (snapshot == null) {
            out.add(new Violation("", "the record is not an account snapshot"));
            return out;
        }
        id(out, "accountId", snapshot.accountId(), true);
        text(out, "name", snapshot.name(), MAX_TEXT, false);
        if (snapshot.employees() < 0) {
            out.add(new Violation("employees", "must be zero or more"));
        }
        amount(out, "arr", snapshot.arr());
        date(out, "renewalDate", snapshot.renewalDate());
        if (snapshot.version() < 0) {
            out.add(new Violation("version", "must be zero or more"));
        }
        if (snapshot.externalIdsOrNone().size() > MAX_TAGS) {
            out.add(new Violation("externalIds", "at most " + MAX_TAGS + " external ids are allowed"));
        } else {
            snapshot.externalIdsOrNone().forEach((source, externalId) -> {
                id(out, "externalIds", source, true);
                id(out, "externalIds." + source, externalId, true);
            });
        }
        if (snapshot.csm() != null) {
            id(out, "csm.id", snapshot.csm().id(), false);
            text(out, "csm.name", snapshot.csm().name(), MAX_TEXT, false);
            id(out, "csm.email", snapshot.csm().email(), false);
            id(out, "csm.team", snapshot.csm().team(), false);
            id(out, "csm.teamLead", snapshot.csm().teamLead(), false);
        }
        if (snapshot.health() != null) {
            if (snapshot.health().score() < 0 || snapshot.health().score() > 100) {
                out.add(new Violation("health.score", "must be between 0 and 100"));
            }
            if (snapshot.health().measures().size() > MAX_TAGS) {
                out.add(new Violation("health.measures", "at most " + MAX_TAGS + " measures are allowed"));
            }
            for (int i = 0; i < snapshot.health().measures().size() && i < MAX_TAGS; i++) {
                AccountSnapshot.Measure measure = snapshot.health().measures().get(i);
                if (measure == null) {
                    out.add(new Violation("health.measures[" + i + "]", "is empty"));
                } else {
                    text(out, "health.measures[" + i + "].name", measure.name(), MAX_ID, true);
                }
            }
        }
        return out;
    }

    public static List<Violation> ctaCommand(CtaCommand command) {
        List<Violation> out = new ArrayList<>();
        if (command == null) {
            out.add(new Violation("", "the record is not a CTA command"));
            return out;
        }
        id(out, "commandId", command.commandId(), true);
        id(out, "ctaId", command.ctaId(), true);
        present(out, "action", command.action());
        id(out, "actor", command.actor(), true);
        id(out, "via", command.via(), false);
        instant(out, "until", command.until(), command.action() == CtaCommand.Action.SNOOZE);
        instant(out, "requestedAt", command.requestedAt(), false);
        return out;
    }

    public static List<Violation> ctaEvent(CtaEvent event) {
        List<Violation> out = new ArrayList<>();
        if (event == null) {
            out.add(new Violation("", "the record is not a CTA event"));
            return out;
        }
        id(out, "eventId", event.eventId(), true);
        id(out, "ctaId", event.ctaId(), true);
        id(out, "accountId", event.accountId(), true);
        present(out, "kind", event.kind());
        present(out, "type", event.type());
        instant(out, "occurredAt", event.occurredAt(), false);
        instant(out, "dueAt", event.dueAt(), false);
        text(out, "reason", event.reason(), MAX_ID, true);
        id(out, "ownerCsmId", event.ownerCsmId(), false);
        text(out, "closeReason", event.closeReason(), MAX_TEXT, false);
        text(out, "actor", event.actor(), MAX_ID, false);
        if (event.rule() != null) {
            text(out, "rule.ruleset", event.rule().ruleset(), MAX_ID, false);
            text(out, "rule.rule", event.rule().rule(), MAX_ID, false);
        }
        if (event.explanation() != null) {
            if (event.explanation().size() > MAX_EXPLANATION_ENTRIES) {
                out.add(new Violation("explanation", "at most " + MAX_EXPLANATION_ENTRIES + " entries are allowed"));
            } else {
                for (Map.Entry<String, Object> entry : event.explanation().entrySet()) {
                    text(out, "explanation key", entry.getKey(), MAX_ID, true);
                    if (entry.getValue() instanceof String value) {
                        text(out, "explanation." + entry.getKey(), value, MAX_TEXT, false);
                    }
                }
            }
        }
        return out;
    }

    /**
     * @return why {@code value} is not acceptable text of at most {@code max} characters, or null;
     *         line breaks and tabs are allowed (free text)
     */
    public static String textProblem(String value, int max) {
        if (value.length() > max) {
            return "must be at most " + max + " characters (it has " + value.length() + ")";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "is not valid Unicode: an unpaired surrogate (\\u" + hex(c) + ") at character " + (i + 1);
            }
            if (Character.isLowSurrogate(c)) {
                return "is not valid Unicode: an unpaired surrogate (\\u" + hex(c) + ") at character " + (i + 1);
            }
            if (c == 0) {
                return "may not contain the NUL character (at character " + (i + 1) + ")";
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                return "may not contain control character \\u" + hex(c) + " (at character " + (i + 1) + ")";
            }
        }
        return null;
    }

    private static void text(List<Violation> out, String field, String value, int max, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                out.add(new Violation(field, "is required"));
            }
            return;
        }
        String problem = textProblem(value, max);
        if (problem != null) {
            out.add(new Violation(field, problem));
        }
    }

    private static void id(List<Violation> out, String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                out.add(new Violation(field, "is required"));
            }
            return;
        }
        text(out, field, value, MAX_ID, required);
        if (hasLineBreak(value) && textProblem(value, MAX_ID) == null) {
            out.add(new Violation(field, "may not contain line breaks or tabs"));
        }
    }

    private static boolean hasLineBreak(String value) {
        return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\t') >= 0;
    }

    private static void present(List<Violation> out, String field, Object value) {
        if (value == null) {
            out.add(new Violation(field, "is required"));
        }
    }

    private static void instant(List<Violation> out, String field, Instant value, boolean required) {
        if (value == null) {
            if (required) {
                out.add(new Violation(field, "is required"));
            }
        } else if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            out.add(new Violation(field, "must lie between " + EARLIEST + " and " + LATEST + " (it is " + value + ")"));
        }
    }

    private static void date(List<Violation> out, String field, LocalDate value) {
        if (value != null && (value.isBefore(EARLIEST_DATE) || value.isAfter(LATEST_DATE))) {
            out.add(new Violation(field, "must lie between " + EARLIEST_DATE + " and " + LATEST_DATE + " (it is "
                    + value + ")"));
        }
    }

    private static void amount(List<Violation> out, String field, BigDecimal value) {
        if (value != null && (value.signum() < 0 || value.compareTo(MAX_AMOUNT) >= 0
                || value.stripTrailingZeros().scale() > 2)) {
            out.add(new Violation(field, "must be at least 0 and below 10^14, with at most 2 decimals"));
        }
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
