package io.beacon.notify.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.Mails;
import io.beacon.notify.support.WebhookSink;
import io.beacon.platform.kafka.CloudEventRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class DeliveryChannelsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    Dispatcher dispatcher;

    @Test
    void aCtaEventBecomesOneEmailOneChatPostAndOneInboxItem_andARedeliveryBecomesNothing() throws Exception {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        String email = csm + "@customers.example";
        Fixtures.account(infra, account, "Orbit Freight " + account, "MARS", csm, "Mara Stone", email, "Mars-9");
        String opened = Fixtures.cta("ev-open-" + account, "cta-" + account, "OPENED", account, csm, "HIGH", false,
                "5 open support tickets");

        infra.send(Topics.CTAS_EVENTS, account, opened);
        infra.send(Topics.CTAS_EVENTS, account, opened);
        // A later change of the same CTA: once its inbox item exists, the redelivery before it was consumed too.
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-upd-" + account, "cta-" + account, "UPDATED", account,
                csm, "HIGH", false, "6 open support tickets"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, csm))
                .when().get("/api/v1/inbox").then().statusCode(200).body("$", hasSize(2)));
        await().atMost(WAIT).until(() -> infra.mail().receivedBy(email).size() == 1
                && WebhookSink.received("/hook", account).size() == 1);
        dispatcher.drain(Channel.EMAIL);
        dispatcher.drain(Channel.WEBHOOK);

        List<MimeMessage> mails = infra.mail().receivedBy(email);
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getSubject()).isEqualTo("New CTA: 5 open support tickets — Orbit Freight " + account + " (MARS)");
        // A stable Message-ID per delivery: were it ever sent again (a crash after SMTP took it), it is the same message.
        assertThat(mail.getHeader("Message-ID")).containsExactly(
                "<beacon-delivery-" + mail.getHeader("X-Beacon-Delivery")[0] + "@beacon.example>");
        String text = Mails.text(mail);
        assertThat(text).contains("Hello Mara Stone,", "segment MARS", "Priority: HIGH",
                "rule SupportRiskOpenTickets (support v3)", "openTickets: 5", "ticketIds: T-1, T-2, T-3, T-4, T-5",
                "http://localhost:8085/#/accounts/" + account, "the CSM who owns the account");

        List<String> posts = WebhookSink.received("/hook", account);
        assertThat(posts).hasSize(1);
        JsonNode post = new ObjectMapper().readTree(posts.get(0));
        assertThat(post.path("text").asText()).contains("*New CTA*: 5 open support tickets", "Mara Stone",
                "<http://localhost:8085/#/accounts/" + account + "|Open the CTA>");
        assertThat(post.path("blocks").get(0).path("type").asText()).isEqualTo("section");

        // The delivery log: the opening reached three channels; the update is recorded in the inbox only.
        given().auth().oauth2(infra.token(Roles.ADMIN)).queryParam("ctaId", "cta-" + account)
                .when().get("/api/v1/deliveries")
                .then().statusCode(200)
                .body("findAll { it.eventId == 'ev-open-" + account + "' }.channel",
                        containsInAnyOrder("EMAIL", "WEBHOOK", "INBOX"))
                .body("findAll { it.eventId == 'ev-open-" + account + "' }.status", everyItem(equalTo("SENT")))
                .body("findAll { it.eventId == 'ev-upd-" + account + "' }.channel", containsInAnyOrder("INBOX"));
    }

    @Test
    void anSmtpOutageIsRetriedAndTheMailDeliveredAfterRecovery() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        String email = csm + "@customers.example";
        Fixtures.account(infra, account, "Nimbus Health", "VENUS", csm, "Vera Lind", email, "Venus-9");
        infra.mail().stop();
        try {
            infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-" + account, "OPENED", account,
                    csm, "CRITICAL", false, "SLA breached"));
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                    .queryParam("eventId", "ev-" + account).queryParam("channel", "EMAIL")
                    .when().get("/api/v1/deliveries")
                    .then().body("[0].status", equalTo("PENDING"))
                    .body("[0].lastError", org.hamcrest.Matchers.startsWith("SMTP delivery to " + email + " failed")));
        } finally {
            infra.mail().start();
        }
        await().atMost(WAIT).until(() -> infra.mail().receivedBy(email).size() == 1);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("eventId", "ev-" + account).queryParam("channel", "EMAIL")
                .when().get("/api/v1/deliveries")
                .then().body("[0].status", equalTo("SENT")).body("[0].attempts", greaterThanOrEqualTo(2)));
        assertThat(infra.mail().receivedBy(email)).hasSize(1);
    }

    @Test
    void aWebhookAnswering500ForeverEndsInTheDeadLettersWithItsReason_whileEmailStillGoesOut() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        String email = csm + "@customers.example";
        Fixtures.account(infra, account, "Kestrel Labs", "MARS", csm, "Kai Brook", email, "Broken-1");
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-" + account, "OPENED", account, csm,
                "HIGH", false, "ticket reopened 3 times"));

        await().atMost(WAIT).until(() -> infra.mail().receivedBy(email).size() == 1);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .when().get("/api/v1/deliveries/dead-letters")
                .then().statusCode(200)
                .body("findAll { it.delivery.eventId == 'ev-" + account + "' }.reason",
                        hasItem(org.hamcrest.Matchers.containsString("answered HTTP 500: chat service unavailable")))
                .body("findAll { it.delivery.eventId == 'ev-" + account + "' }.attempts", hasItem(5)));
        assertThat(WebhookSink.received("/broken", account)).hasSize(5);

        List<ConsumerRecord<String, String>> dlq = infra.awaitRecords(Topics.NOTIFICATIONS_DLQ, csm, 1);
        assertThat(dlq.get(0).value()).contains("\"channel\":\"WEBHOOK\"", "\"ctaId\":\"cta-" + account + "\"",
                "answered HTTP 500");
        assertThat(CloudEventRecords.header(dlq.get(0).headers(), CloudEventHeaders.TYPE))
                .isEqualTo(CloudEventHeaders.TYPE_NOTIFICATION_DEAD_LETTER);

        long deliveryId = given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("eventId", "ev-" + account).queryParam("channel", "WEBHOOK")
                .when().get("/api/v1/deliveries").then().extract().jsonPath().getLong("[0].id");
        given().auth().oauth2(infra.token(Roles.CSM, csm)).when().post("/api/v1/deliveries/" + deliveryId + "/retry")
                .then().statusCode(403);
        given().auth().oauth2(infra.token(Roles.ADMIN)).when().post("/api/v1/deliveries/" + deliveryId + "/retry")
                .then().statusCode(200).body("status", equalTo("PENDING")).body("attempts", equalTo(0));
        given().auth().oauth2(infra.token(Roles.ADMIN)).when().post("/api/v1/deliveries/" + deliveryId + "/retry")
                .then().statusCode(409).contentType("application/problem+json");
        // The retry runs its attempts again and, the webhook still failing, dies a second time.
        await().atMost(WAIT).until(() -> WebhookSink.received("/broken", account).size() == 10);
    }

    @Test
    void anEscalationAlsoReachesTheTeamLeadAndTheExecutiveList() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        // account-service names the team's lead in the snapshots; the lead is known from another account's snapshot.
        Fixtures.account(infra, account, "Atlas Mining", "JUPITER", csm, "Jo Park", csm + "@customers.example", "Alpha-1",
                "csm-alpha-lead");
        Fixtures.account(infra, Fixtures.id("acct"), "Lead's own account", "JUPITER", "csm-alpha-lead", "Lee Alpha",
                "lee.alpha@customers.example", "Alpha-1", "csm-alpha-lead");
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-" + account, "ESCALATED", account, csm,
                "CRITICAL", true, "urgent ticket on a JUPITER account"));

        await().atMost(WAIT).until(() -> infra.mail().receivedBy("lee.alpha@customers.example").stream()
                .anyMatch(m -> Mails.subject(m).contains("Atlas Mining")));
        await().atMost(WAIT).until(() -> infra.mail().receivedBy("exec-escalations@beacon.example").stream()
                .anyMatch(m -> Mails.subject(m).equals(
                        "[Escalation] CTA escalated: urgent ticket on a JUPITER account — Atlas Mining (JUPITER)")));
        given().auth().oauth2(infra.token(Roles.CSM, "csm-alpha-lead")).when().get("/api/v1/inbox")
                .then().body("ctaId", hasItem("cta-" + account));
        given().auth().oauth2(infra.token(Roles.ADMIN)).queryParam("eventId", "ev-" + account)
                .when().get("/api/v1/deliveries")
                .then().body("recipientRole", hasItem("EXECUTIVE")).body("recipientRole", hasItem("TEAM_LEAD"))
                .body("findAll { it.recipientRole == 'EXECUTIVE' }.channel", containsInAnyOrder("EMAIL"));
    }

    @Test
    void aCtaWithoutAKnownOwnerGoesToTheTeamQueueNotNowhere() {
        String account = Fixtures.id("acct");
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-" + account, "OPENED", account, null,
                "HIGH", false, "5 open support tickets"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, "queue:unassigned"))
                .when().get("/api/v1/inbox").then().body("ctaId", hasItem("cta-" + account)));
        await().atMost(WAIT).until(() -> infra.mail().receivedBy("cs-queue@beacon.example").stream()
                .anyMatch(m -> Mails.subject(m).contains(account)));
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheReasonAndTheStreamGoesOn() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        infra.send(Topics.CTAS_EVENTS, account, "{not json");
        infra.send(Topics.CTAS_EVENTS, account, "{\"eventId\":\"x-" + account + "\",\"kind\":\"EXPLODED\"}");
        infra.send(Topics.CTAS_EVENTS, account, "{\"eventId\":\"y-" + account + "\",\"kind\":\"OPENED\"}");
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-" + account, "OPENED", account, csm,
                "HIGH", false, "5 open support tickets"));

        List<ConsumerRecord<String, String>> dead = infra.awaitRecords(Topics.CTAS_EVENTS_DLQ, account, 3);
        assertThat(dead).extracting(r -> CloudEventRecords.header(r.headers(), CloudEventHeaders.DLQ_REASON))
                .satisfiesExactly(
                        reason -> assertThat(reason).startsWith("not a readable CTA event"),
                        reason -> assertThat(reason).startsWith("not a readable CTA event").contains("EXPLODED"),
                        reason -> assertThat(reason).isEqualTo("not a valid CTA event: ctaId is required; accountId is required; type is required; reason is required"));
        assertThat(dead.get(0).value()).isEqualTo("{not json");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, csm))
                .when().get("/api/v1/inbox").then().body("ctaId", hasItem("cta-" + account)));
    }
}
