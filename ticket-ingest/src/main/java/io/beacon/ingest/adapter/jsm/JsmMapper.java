package io.beacon.ingest.adapter.jsm;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.adapter.DeskIntake;

/** Maps a Jira Service Management issue webhook to a Beacon ticket event. */
public final class JsmMapper {

    /** Jira's own timestamp form: {@code 2026-11-30T10:15:30.123+0000}. */
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private JsmMapper() {
    }

    /** @param organizationId the first JSM organisation on the issue: the account's {@code jsm} external id */
    public record Mapped(TicketEvent event, String organizationId) {
    }

    /**
     * @param deliveryId Jira's {@code X-Atlassian-Webhook-Identifier} (the same on a retry), or null
     * @throws IllegalArgumentException naming the field, when the payload cannot be an event
     */
    public static Mapped map(JiraWebhook webhook, String organizationField, String deliveryId, Instant receivedAt) {
        if (webhook.webhookEvent() == null || !webhook.webhookEvent().startsWith("jira:issue_")) {
            throw new IllegalArgumentException("webhookEvent: '" + webhook.webhookEvent() + "' is not an issue event");
        }
        JiraWebhook.Issue issue = webhook.issue();
        if (issue == null || issue.key() == null || issue.key().isBlank() || issue.fields() == null) {
            throw new IllegalArgumentException("issue: the issue, its key and its fields are required");
        }
        JsonNode fields = issue.fields();
        String organization = organization(fields.path(organizationField));
        if (organization == null) {
            throw new IllegalArgumentException("issue.fields." + organizationField + ": the issue belongs to no JSM "
                    + "organisation, so Beacon cannot tell which account it concerns");
        }
        TicketEvent.Type type = type(webhook);
        Instant updated = time(fields.path("updated"), "issue.fields.updated");
        Instant occurred = webhook.timestamp() != null ? Instant.ofEpochMilli(webhook.timestamp())
                : updated != null ? updated : receivedAt;
        TicketEvent.Status status = type == TicketEvent.Type.DELETED ? TicketEvent.Status.CLOSED : status(fields.path("status"));
        TicketEvent.Ticket ticket = new TicketEvent.Ticket(issue.key(), status, priority(fields.path("priority").path("name")),
                kind(fields.path("issuetype").path("name").asText(null)), text(fields.path("summary")), labels(fields.path("labels")),
                text(fields.path("reporter").path("accountId")), text(fields.path("assignee").path("accountId")),
                time(fields.path("created"), "issue.fields.created"), updated != null ? updated : occurred, null);
        String eventId = deliveryId != null && !deliveryId.isBlank() ? "jsm:" + deliveryId.trim()
                : "jsm:" + (issue.id() != null ? issue.id() : issue.key()) + ":" + occurred.toEpochMilli() + ":"
                        + webhook.webhookEvent();
        return new Mapped(new TicketEvent(eventId, TicketEvent.Source.JSM, type, occurred, DeskIntake.UNRESOLVED, ticket),
                organization);
    }

    static TicketEvent.Type type(JiraWebhook webhook) {
        switch (webhook.webhookEvent()) {
            case "jira:issue_created":
                return TicketEvent.Type.CREATED;
            case "jira:issue_deleted":
                return TicketEvent.Type.DELETED;
            default:
                List<String> changed = new ArrayList<>();
                if (webhook.changelog() != null) {
                    toList(webhook.changelog().path("items"))
                            .forEach(item -> changed.add(item.path("field").asText("").toLowerCase(Locale.ROOT)));
                }
                return changed.contains("status") ? TicketEvent.Type.STATUS_CHANGED
                        : changed.contains("priority") ? TicketEvent.Type.PRIORITY_CHANGED : TicketEvent.Type.UPDATED;
        }
    }

    /** By the status's category, which every Jira workflow has; "waiting for customer" is pending. */
    static TicketEvent.Status status(JsonNode status) {
        String name = status.path("name").asText("").toLowerCase(Locale.ROOT);
        String category = status.path("statusCategory").path("key").asText("").toLowerCase(Locale.ROOT);
        if (name.isEmpty() && category.isEmpty()) {
            throw new IllegalArgumentException("issue.fields.status: is required");
        }
        if (name.startsWith("waiting for customer") || name.equals("pending")) {
            return TicketEvent.Status.PENDING;
        }
        return switch (category) {
            case "new" -> TicketEvent.Status.NEW;
            case "done" -> name.equals("closed") ? TicketEvent.Status.CLOSED : TicketEvent.Status.SOLVED;
            default -> name.equals("closed") ? TicketEvent.Status.CLOSED
                    : name.equals("resolved") || name.equals("done") ? TicketEvent.Status.SOLVED : TicketEvent.Status.OPEN;
        };
    }

    static TicketEvent.Priority priority(JsonNode name) {
        if (name.isMissingNode() || name.isNull()) {
            return null;
        }
        return switch (name.asText().toLowerCase(Locale.ROOT)) {
            case "highest", "blocker", "critical" -> TicketEvent.Priority.URGENT;
            case "high", "major" -> TicketEvent.Priority.HIGH;
            case "low", "lowest", "minor", "trivial" -> TicketEvent.Priority.LOW;
            default -> TicketEvent.Priority.NORMAL;
        };
    }

    static TicketEvent.Kind kind(String issueType) {
        if (issueType == null || issueType.isBlank()) {
            return null;
        }
        String t = issueType.toLowerCase(Locale.ROOT);
        return t.contains("incident") ? TicketEvent.Kind.INCIDENT : t.contains("problem") ? TicketEvent.Kind.PROBLEM
                : t.contains("question") || t.contains("request") ? TicketEvent.Kind.QUESTION : TicketEvent.Kind.TASK;
    }

    /** The JSM organisations field: a list of {@code {"id": ..., "name": ...}}; the first one counts. */
    static String organization(JsonNode field) {
        JsonNode first = field.isArray() && field.size() > 0 ? field.get(0) : field.isObject() ? field : null;
        if (first == null) {
            return null;
        }
        String id = first.path("id").asText("");
        return id.isBlank() ? null : id.trim();
    }

    static Instant time(JsonNode value, String field) {
        if (value.isMissingNode() || value.isNull() || value.asText().isBlank()) {
            return null;
        }
        String text = value.asText().trim();
        try {
            return OffsetDateTime.parse(text, JIRA_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException(field + ": '" + text + "' is not a Jira timestamp");
            }
        }
    }

    private static List<String> labels(JsonNode labels) {
        return toList(labels).stream().map(JsonNode::asText).toList();
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
