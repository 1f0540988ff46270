package io.beacon.ingest.adapter.freshdesk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a Freshdesk automation rule's "Trigger webhook" action posts with the JSON content Beacon
 * documents (ticket-ingest/README.md): Freshdesk placeholders, so every value arrives as a string.
 * Unknown fields are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FreshdeskWebhook(@JsonProperty("freshdesk_webhook") Ticket ticket) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ticket(
            @JsonProperty("triggered_event") String triggeredEvent,
            @JsonProperty("ticket_id") String id,
            @JsonProperty("ticket_status") String status,
            @JsonProperty("ticket_priority") String priority,
            @JsonProperty("ticket_type") String type,
            @JsonProperty("ticket_subject") String subject,
            @JsonProperty("ticket_tags") String tags,
            @JsonProperty("ticket_company_id") String companyId,
            @JsonProperty("ticket_company_name") String companyName,
            @JsonProperty("ticket_requester_id") String requesterId,
            @JsonProperty("ticket_agent_id") String agentId) {
    }
}
