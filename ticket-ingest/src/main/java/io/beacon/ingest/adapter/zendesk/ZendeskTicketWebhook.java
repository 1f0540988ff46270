package io.beacon.ingest.adapter.zendesk;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of Zendesk's ticket event webhook ({@code zen:event-type:ticket.*}) that Beacon reads.
 * Zendesk sends ids as strings in {@code detail}; unknown fields are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ZendeskTicketWebhook(
        String id,
        String type,
        @JsonProperty("account_id") Long accountId,
        Instant time,
        String subject,
        Detail detail,
        JsonNode event) {

    static final String TICKET_EVENT_PREFIX = "zen:event-type:ticket.";

    @JsonIgnore
    public boolean isTicketEvent() {
        return type != null && type.startsWith(TICKET_EVENT_PREFIX);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(
            String id,
            String status,
            String priority,
            String type,
            String subject,
            @JsonProperty("organization_id") String organizationId,
            @JsonProperty("requester_id") String requesterId,
            @JsonProperty("assignee_id") String assigneeId,
            List<String> tags,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("updated_at") Instant updatedAt) {
    }
}
