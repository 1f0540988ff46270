package io.beacon.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.ingest.adapter.jsm.JsmSignatureVerifier;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Freshdesk and Jira Service Management webhooks in the shapes those products send (Freshdesk: the
 * automation rule's JSON content with its placeholders filled in; Jira: an admin webhook's issue
 * event), each resolved to the account that carries the ticket's company or organisation.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class DeskWebhooksTest {

    private static final String JIRA_SECRET = "test-jira-secret";
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aFreshdeskRuleWithAnApiKeyPostsTicketsOfTheAccountThatCarriesItsCompany() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String company = "48" + Math.abs(run.hashCode());
        String account = account("fd", "freshdesk", company);
        String key = key("acme-freshdesk-" + run);

        freshdesk(key, freshdeskPayload("{ticket_action:created}", "4711", "Open", "Urgent", "Incident", company))
                .then().statusCode(202).body("accepted[0]", org.hamcrest.Matchers.startsWith("freshdesk:4711:"));
        freshdesk(key, freshdeskPayload("{status:{from:2,to:4}}", "4711", "Resolved", "Urgent", "Incident", company))
                .then().statusCode(202);
        List<ConsumerRecord<String, String>> records = infra.awaitRecords(Topics.TICKETS_EVENTS, account, 2,
                Duration.ofSeconds(30));
        JsonNode created = json.readTree(records.get(0).value());
        assertThat(created.path("source").asText()).isEqualTo("freshdesk");
        assertThat(created.path("type").asText()).isEqualTo("created");
        assertThat(created.path("ticket").path("id").asText()).isEqualTo("4711");
        assertThat(created.path("ticket").path("status").asText()).isEqualTo("open");
        assertThat(created.path("ticket").path("priority").asText()).isEqualTo("urgent");
        assertThat(created.path("ticket").path("type").asText()).isEqualTo("incident");
        JsonNode solved = json.readTree(records.get(1).value());
        assertThat(solved.path("type").asText()).isEqualTo("status_changed");
        assertThat(solved.path("ticket").path("status").asText()).isEqualTo("solved");

        // Without a key, with a person's token, or without a company: refused, each saying why.
        given().contentType(ContentType.JSON).body(freshdeskPayload("x", "1", "Open", "Low", "", company))
                .when().post("/api/v1/webhooks/freshdesk").then().statusCode(401);
        given().auth().oauth2(infra.token(Roles.CSM, "csm-1")).contentType(ContentType.JSON)
                .body(freshdeskPayload("x", "1", "Open", "Low", "", company))
                .when().post("/api/v1/webhooks/freshdesk").then().statusCode(403);
        // (A rule that sends only {{ticket.company.name}} works too, if the account carries that name as its id.)
        freshdesk(key, freshdeskPayload("x", "1", "Open", "Low", "", "")).then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("freshdesk_webhook.ticket_company_id"));
        freshdesk(key, freshdeskPayload("x", "1", "Open", "Sometimes", "", company)).then().statusCode(422)
                .body("errors[0].field", equalTo("freshdesk_webhook.ticket_priority"));
    }

    @Test
    void aSignedJiraServiceManagementWebhookBecomesATicketOfTheAccountThatCarriesItsOrganisation() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String organization = "9" + Math.abs(run.hashCode() % 100000);
        String account = account("jsm", "jsm", organization);
        String issue = "SUP-" + Math.abs(run.hashCode() % 10000);
        Instant created = Instant.now().minusSeconds(120);

        String delivery = "delivery-" + run;
        String body = jiraPayload("jira:issue_created", issue, "Waiting for support", "new", "High", organization, created,
                created, null);
        jsm(body, sign(body), delivery).then().statusCode(202).body("accepted", hasItem("jsm:" + delivery));
        // Jira retrying the same delivery: the same event id, which consumers recognise.
        jsm(body, sign(body), delivery).then().statusCode(202).body("accepted", hasItem("jsm:" + delivery));
        Instant done = Instant.now().minusSeconds(10);
        String resolved = jiraPayload("jira:issue_updated", issue, "Resolved", "done", "High", organization, created, done,
                "{\"items\":[{\"field\":\"status\",\"fromString\":\"Waiting for support\",\"toString\":\"Resolved\"}]}");
        jsm(resolved, sign(resolved), "delivery-2-" + run).then().statusCode(202);

        // Two changes; the retry is the same event (published again when it went straight through, kept once
        // when it was parked because ingest had not seen the account yet — either way one event id).
        await().atMost(Duration.ofSeconds(30)).until(() -> eventIds(account).size() == 2);
        List<JsonNode> events = distinct(account);
        JsonNode first = events.get(0);
        assertThat(first.path("source").asText()).isEqualTo("jsm");
        assertThat(first.path("eventId").asText()).isEqualTo("jsm:" + delivery);
        assertThat(first.path("ticket").path("id").asText()).isEqualTo(issue);
        assertThat(first.path("ticket").path("status").asText()).isEqualTo("new");
        assertThat(first.path("ticket").path("priority").asText()).isEqualTo("high");
        assertThat(Instant.parse(first.path("ticket").path("createdAt").asText())).isEqualTo(created.truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS));
        JsonNode last = events.get(1);
        assertThat(last.path("type").asText()).isEqualTo("status_changed");
        assertThat(last.path("ticket").path("status").asText()).isEqualTo("solved");

        // Forged, unsigned, or signed but without an organisation.
        jsm(body, sign(body).replace("sha256=", "sha256=00"), "d-forged").then().statusCode(401);
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/webhooks/jsm").then().statusCode(401)
                .contentType("application/problem+json");
        String noOrg = jiraPayload("jira:issue_created", issue, "Open", "new", "Low", null, created, created, null);
        jsm(noOrg, sign(noOrg), "d-no-org").then().statusCode(422).body("errors[0].field",
                equalTo("issue.fields.customfield_10002"));

        // Jira Automation's "Send web request" carries a source API key instead of a signature.
        String key = key("jira-automation-" + run);
        String automated = jiraPayload("jira:issue_updated", issue, "Closed", "done", "High", organization, created,
                Instant.now(), null);
        given().header("X-Beacon-Key", key).contentType(ContentType.JSON).body(automated)
                .when().post("/api/v1/webhooks/jsm").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> distinct(account).stream()
                .anyMatch(e -> e.path("ticket").path("status").asText().equals("closed")));
    }

    /** The account's events on tickets.events, each event id once, in the order they were written. */
    private List<JsonNode> distinct(String account) throws Exception {
        java.util.LinkedHashMap<String, JsonNode> byId = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : infra.awaitRecords(Topics.TICKETS_EVENTS, account, 1,
                Duration.ofSeconds(30))) {
            JsonNode event = json.readTree(record.value());
            byId.putIfAbsent(event.path("eventId").asText(), event);
        }
        return List.copyOf(byId.values());
    }

    private java.util.Set<String> eventIds(String account) throws Exception {
        return distinct(account).stream().map(e -> e.path("eventId").asText())
                .collect(java.util.stream.Collectors.toSet());
    }

    private String account(String prefix, String source, String externalId) {
        String account = "acct-" + prefix + "-" + UUID.randomUUID();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Desk Co","employees":120,"segment":"MARS","version":1,
                 "externalIds":{"%s":"%s"}}""".formatted(account, source, externalId));
        return account;
    }

    private String key(String source) {
        return given().auth().oauth2(infra.token(Roles.ADMIN, "ops")).contentType(ContentType.JSON)
                .body("{\"source\":\"" + source + "\"}").when().post("/api/v1/source-keys")
                .then().statusCode(201).extract().path("key");
    }

    private static io.restassured.response.Response freshdesk(String key, String body) {
        // Freshdesk's "Requires authentication": user name and password, sent as HTTP Basic.
        return given().header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((key + ":X").getBytes(StandardCharsets.UTF_8)))
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/webhooks/freshdesk");
    }

    private static io.restassured.response.Response jsm(String body, String signature, String delivery) {
        RequestSpecification request = given().contentType(ContentType.JSON).header("X-Hub-Signature", signature)
                .header("X-Atlassian-Webhook-Identifier", delivery).body(body.getBytes(StandardCharsets.UTF_8));
        return request.when().post("/api/v1/webhooks/jsm");
    }

    private static String sign(String body) {
        return "sha256=" + HexFormat.of().formatHex(JsmSignatureVerifier.sign(JIRA_SECRET, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The automation rule's content (README) with Freshdesk's placeholders filled in, as Freshdesk sends it. */
    static String freshdeskPayload(String triggered, String id, String status, String priority, String type, String company) {
        return """
                {"freshdesk_webhook":{"triggered_event":"%s","ticket_id":"%s","ticket_status":"%s",
                 "ticket_priority":"%s","ticket_type":"%s","ticket_subject":"Export to CSV fails ☃",
                 "ticket_tags":"billing, vip","ticket_company_id":"%s","ticket_company_name":"%s",
                 "ticket_url":"https://acme.freshdesk.com/helpdesk/tickets/%s"}}
                """.formatted(triggered, id, status, priority, type, company, company.isEmpty() ? "" : "Acme", id);
    }

    /** A Jira admin webhook's issue event, trimmed to what Beacon reads plus some of what it does not. */
    static String jiraPayload(String event, String key, String status, String category, String priority,
            String organization, Instant created, Instant updated, String changelog) {
        String orgs = organization == null ? "[]" : "[{\"id\":" + organization + ",\"name\":\"Acme\",\"_links\":{}}]";
        return """
                {"timestamp":%d,"webhookEvent":"%s","issue_event_type_name":"issue_generic",
                 "user":{"accountId":"5b10a2844c20165700ede21g","displayName":"Agent"},
                 "issue":{"id":"10%s","self":"https://acme.atlassian.net/rest/api/2/10001","key":"%s",
                  "fields":{"summary":"VPN drops every hour","issuetype":{"name":"[System] Incident"},
                   "status":{"name":"%s","statusCategory":{"id":2,"key":"%s","name":"x"}},
                   "priority":{"name":"%s","id":"2"},"labels":["vip"],"customfield_10002":%s,
                   "reporter":{"accountId":"r-1"},"assignee":null,
                   "created":"%s","updated":"%s"}}%s}
                """.formatted(updated.toEpochMilli(), event, key.replaceAll("\\D", ""), key, status, category, priority, orgs,
                JIRA_TIME.format(created), JIRA_TIME.format(updated), changelog == null ? "" : ",\"changelog\":" + changelog);
    }
}
