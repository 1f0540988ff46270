package io.beacon.ingest.adapter.freshdesk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.adapter.DeskIntake;

/**
 * Maps a Freshdesk webhook to a Beacon ticket event. Freshdesk's placeholders carry no machine-readable
 * time and no delivery id, so the event happens when it arrives and its id is unique per delivery:
 * each event states the ticket's whole state (status, priority), so a repeated delivery sets the same
 * state again and changes nothing.
 */
public final class FreshdeskMapper {

    private FreshdeskMapper() {
    }

    /** @param organizationId the company the ticket belongs to, as the account's {@code freshdesk} external id */
    public record Mapped(TicketEvent event, String organizationId) {
    }

    /** @throws IllegalArgumentException naming the field, when the payload cannot be an event */
    public static Mapped map(FreshdeskWebhook webhook, byte[] body, Instant receivedAt) {
        FreshdeskWebhook.Ticket t = webhook.ticket();
        if (t == null) {
            throw new IllegalArgumentException("freshdesk_webhook: the ticket is missing (see the content template in the README)");
        }
        if (blank(t.id())) {
            throw new IllegalArgumentException("freshdesk_webhook.ticket_id: is required");
        }
        String organization = !blank(t.companyId()) ? t.companyId().trim() : blank(t.companyName()) ? null : t.companyName().trim();
        if (organization == null) {
            throw new IllegalArgumentException("freshdesk_webhook.ticket_company_id: the ticket belongs to no company, "
                    + "so Beacon cannot tell which account it concerns");
        }
        TicketEvent.Type type = type(t.triggeredEvent());
        TicketEvent.Ticket ticket = new TicketEvent.Ticket(t.id().trim(), status(t.status()), priority(t.priority()),
                kind(t.type()), t.subject(), tags(t.tags()), blankToNull(t.requesterId()), blankToNull(t.agentId()), null,
                receivedAt, null);
        String eventId = "freshdesk:" + t.id().trim() + ":" + receivedAt.toEpochMilli() + ":" + digest(body);
        return new Mapped(new TicketEvent(eventId, TicketEvent.Source.FRESHDESK, type, receivedAt, DeskIntake.UNRESOLVED,
                ticket), organization);
    }

    /** {@code {{triggered_event}}} reads e.g. {@code {status:{from:2,to:3}}} or {@code {ticket_action:created}}. */
    static TicketEvent.Type type(String triggered) {
        String t = triggered == null ? "" : triggered.toLowerCase(Locale.ROOT);
        if (t.contains("created")) {
            return TicketEvent.Type.CREATED;
        }
        if (t.contains("deleted")) {
            return TicketEvent.Type.DELETED;
        }
        if (t.contains("status")) {
            return TicketEvent.Type.STATUS_CHANGED;
        }
        if (t.contains("priority")) {
            return TicketEvent.Type.PRIORITY_CHANGED;
        }
        return TicketEvent.Type.UPDATED;
    }

    /** Freshdesk's names (or their numbers, 2 to 7); a custom status counts as open. */
    static TicketEvent.Status status(String status) {
        if (blank(status)) {
            throw new IllegalArgumentException("freshdesk_webhook.ticket_status: is required");
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "pending", "3", "waiting on customer", "6" -> TicketEvent.Status.PENDING;
            case "waiting on third party", "7" -> TicketEvent.Status.HOLD;
            case "resolved", "4" -> TicketEvent.Status.SOLVED;
            case "closed", "5" -> TicketEvent.Status.CLOSED;
            default -> TicketEvent.Status.OPEN;
        };
    }

    static TicketEvent.Priority priority(String priority) {
        if (blank(priority)) {
            return null;
        }
        return switch (priority.trim().toLowerCase(Locale.ROOT)) {
            case "low", "1" -> TicketEvent.Priority.LOW;
            case "medium", "2" -> TicketEvent.Priority.NORMAL;
            case "high", "3" -> TicketEvent.Priority.HIGH;
            case "urgent", "4" -> TicketEvent.Priority.URGENT;
            default -> throw new IllegalArgumentException("freshdesk_webhook.ticket_priority: '" + priority
                    + "' is not a Freshdesk priority (Low, Medium, High, Urgent)");
        };
    }

    static TicketEvent.Kind kind(String type) {
        if (blank(type)) {
            return null;
        }
        return switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "question" -> TicketEvent.Kind.QUESTION;
            case "incident" -> TicketEvent.Kind.INCIDENT;
            case "problem" -> TicketEvent.Kind.PROBLEM;
            default -> TicketEvent.Kind.TASK;
        };
    }

    /** {@code {{ticket.tags}}} is a comma-separated list. */
    static List<String> tags(String tags) {
        return blank(tags) ? List.of() : Arrays.stream(tags.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return blank(value) ? null : value.trim();
    }
}
