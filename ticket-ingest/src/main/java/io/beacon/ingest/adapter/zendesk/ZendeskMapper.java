package io.beacon.ingest.adapter.zendesk;

import java.util.Locale;

import io.beacon.contracts.TicketEvent;
import io.beacon.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Maps a Zendesk ticket webhook to Beacon's {@link TicketEvent}. This is the whole adapter: a
 * Freshdesk or Jira adapter is another mapper of the same shape.
 */
@ApplicationScoped
public class ZendeskMapper {

    private final IngestConfig.Zendesk config;

    ZendeskMapper(IngestConfig config) {
        this.config = config.zendesk();
    }

    /**
     * @param event the Beacon event; its account is {@code accountId}, or a placeholder when that is not known
     * @param accountId the account the instance's configuration gives the organisation; null: ask account-service
     */
    public record Mapped(TicketEvent event, String organizationId, String accountId) {
    }


    /**
     * @throws IllegalArgumentException with a reader-friendly reason when the payload cannot be an event
     */
    public Mapped map(ZendeskTicketWebhook webhook, IngestConfig.Zendesk.Instance instance) {
        ZendeskTicketWebhook.Detail detail = webhook.detail();
        if (detail == null) {
            throw new IllegalArgumentException("detail: the ticket is missing");
        }
        if (detail.organizationId() == null || detail.organizationId().isBlank() || "0".equals(detail.organizationId())) {
            throw new IllegalArgumentException("detail.organization_id: the ticket belongs to no organization, "
                    + "so Beacon cannot tell which account it concerns");
        }
        String mapped = instance.organizations().get(detail.organizationId());
        String accountId = mapped != null ? mapped : io.beacon.ingest.adapter.DeskIntake.UNRESOLVED;
        TicketEvent.Type type = eventType(webhook.type());

        TicketEvent.Ticket ticket = new TicketEvent.Ticket(detail.id(), status(detail.status(), type),
                enumOrNull(detail.priority(), TicketEvent.Priority::fromWire),
                enumOrNull(detail.type(), TicketEvent.Kind::fromWire),
                detail.subject(), detail.tags(), detail.requesterId(), detail.assigneeId(), detail.createdAt(),
                detail.updatedAt() != null ? detail.updatedAt() : webhook.time(), null);
        TicketEvent event = new TicketEvent(webhook.id() == null ? null : "zendesk:" + webhook.id(),
                TicketEvent.Source.ZENDESK, type, webhook.time(), accountId, ticket);
        return new Mapped(event, detail.organizationId(), mapped);
    }

    static TicketEvent.Type eventType(String zendeskType) {
        String name = zendeskType.substring(ZendeskTicketWebhook.TICKET_EVENT_PREFIX.length());
        return switch (name) {
            case "created" -> TicketEvent.Type.CREATED;
            case "status_changed" -> TicketEvent.Type.STATUS_CHANGED;
            case "priority_changed" -> TicketEvent.Type.PRIORITY_CHANGED;
            case "soft_deleted", "permanently_deleted" -> TicketEvent.Type.DELETED;
            default -> TicketEvent.Type.UPDATED;
        };
    }

    private static TicketEvent.Status status(String status, TicketEvent.Type type) {
        if (status == null) {
            return null;
        }
        // A deleted ticket's status reads "deleted" in Zendesk; for Beacon it no longer needs work.
        if (type == TicketEvent.Type.DELETED && "deleted".equalsIgnoreCase(status.trim())) {
            return TicketEvent.Status.CLOSED;
        }
        return TicketEvent.Status.fromWire(status);
    }

    private static <E> E enumOrNull(String value, java.util.function.Function<String, E> parse) {
        if (value == null || value.isBlank() || "-".equals(value.trim())) {
            return null;
        }
        return parse.apply(value.toLowerCase(Locale.ROOT));
    }
}
