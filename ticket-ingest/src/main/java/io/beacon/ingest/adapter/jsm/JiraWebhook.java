package io.beacon.ingest.adapter.jsm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of a Jira admin webhook ({@code jira:issue_created}, {@code jira:issue_updated},
 * {@code jira:issue_deleted}) Beacon reads. The issue's fields stay a tree: which custom field holds
 * the JSM organisations differs per site.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JiraWebhook(Long timestamp, String webhookEvent, Issue issue, JsonNode changelog) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Issue(String id, String key, JsonNode fields) {
    }
}
