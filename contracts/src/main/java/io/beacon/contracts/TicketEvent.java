package io.beacon.contracts;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A normalised ticket event, as written to {@link Topics#TICKETS_EVENTS} keyed by {@code accountId}.
 * Adapters (Zendesk, Freshdesk, ...) map their native payloads to this record.
 *
 * @param eventId the source's own event id; the idempotency key everywhere downstream
 * @param ticket the ticket as it is after this event: consumers keep the newest snapshot by
 *        {@code ticket.updatedAt} rather than trusting delivery order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TicketEvent(
        String eventId,
        Source source,
        Type type,
        Instant occurredAt,
        String accountId,
        Ticket ticket) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ticket(
            String id,
            Status status,
            Priority priority,
            Kind type,
            String subject,
            List<String> tags,
            String requesterId,
            String assigneeId,
            Instant createdAt,
            Instant updatedAt,
            Sla sla) {

        public Ticket {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sla(Instant firstReplyDueAt, Instant resolutionDueAt, boolean breached) {
    }

    public enum Source {
        ZENDESK, FRESHDESK, JSM, API;

        @JsonCreator
        public static Source fromWire(String value) {
            return WireEnums.parse(Source.class, "source", value);
        }

        @JsonValue
        public String wire() {
            return WireEnums.wire(this);
        }
    }

    public enum Type {
        CREATED, UPDATED, STATUS_CHANGED, PRIORITY_CHANGED, SLA_BREACHED, DELETED;

        @JsonCreator
        public static Type fromWire(String value) {
            return WireEnums.parse(Type.class, "type", value);
        }

        @JsonValue
        public String wire() {
            return WireEnums.wire(this);
        }
    }

    public enum Status {
        NEW, OPEN, PENDING, HOLD, SOLVED, CLOSED;

        @JsonCreator
        public static Status fromWire(String value) {
            return WireEnums.parse(Status.class, "ticket.status", value);
        }

        @JsonValue
        public String wire() {
            return WireEnums.wire(this);
        }

        /** A ticket still needs work from support; these are what support-risk rules count. */
        public boolean isOpen() {
            return this != SOLVED && this != CLOSED;
        }
    }

    public enum Priority {
        LOW, NORMAL, HIGH, URGENT;

        @JsonCreator
        public static Priority fromWire(String value) {
            return WireEnums.parse(Priority.class, "ticket.priority", value);
        }

        @JsonValue
        public String wire() {
            return WireEnums.wire(this);
        }
    }

    /** The ticket's type in the support desk (named {@code type} on the wire). */
    public enum Kind {
        QUESTION, INCIDENT, PROBLEM, TASK;

        @JsonCreator
        public static Kind fromWire(String value) {
            return WireEnums.parse(Kind.class, "ticket.type", value);
        }

        @JsonValue
        public String wire() {
            return WireEnums.wire(this);
        }
    }
}
