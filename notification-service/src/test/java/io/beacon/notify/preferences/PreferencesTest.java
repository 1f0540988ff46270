package io.beacon.notify.preferences;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.localstack.testing.TestClock;
import io.beacon.notify.delivery.Channel;
import io.beacon.notify.delivery.DigestJob;
import io.beacon.notify.delivery.Dispatcher;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.Mails;
import io.beacon.notify.support.WebhookSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class PreferencesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    Dispatcher dispatcher;

    @Inject
    DigestJob digests;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    @Test
    void aCsmWithoutPreferencesGetsTheDefaults() {
        given().auth().oauth2(infra.token(Roles.CSM, Fixtures.id("csm"))).when().get("/api/v1/preferences")
                .then().statusCode(200)
                .body("timeZone", equalTo("UTC"))
                .body("digestAt", equalTo("08:00"))
                .body("quietHours", nullValue())
                .body("channels.EMAIL.LOW", equalTo("DIGEST"))
                .body("channels.EMAIL.CRITICAL", equalTo("IMMEDIATE"))
                .body("channels.WEBHOOK.LOW", equalTo("IMMEDIATE"));
    }

    @Test
    void invalidPreferencesAreRefusedWithEveryProblemNamed() {
        String csm = Fixtures.id("csm");
        given().auth().oauth2(infra.token(Roles.CSM, csm)).contentType("application/json")
                .body("""
                        {"timeZone":"Mars/Olympus_Mons","digestAt":"25:00","quietHours":{"start":"22:00"},
                         "channels":{"INBOX":{"LOW":"OFF"}}}""")
                .when().put("/api/v1/preferences")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("channels.INBOX", "digestAt", "quietHours.end", "timeZone"));
        given().auth().oauth2(infra.token(Roles.CSM, csm)).contentType("application/json")
                .body("{\"channels\":{\"EMAIL\":{\"LOW\":\"SOMETIMES\"}}}")
                .when().put("/api/v1/preferences")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("SOMETIMES"));
        given().auth().oauth2(infra.token(Roles.CSM, csm)).when().get("/api/v1/preferences")
                .then().body("timeZone", equalTo("UTC"));
    }

    @Test
    void requestsBeyondTheLimitsAreAnsweredWithAProblemNamingTheLimit() {
        String token = infra.token(Roles.CSM, Fixtures.id("csm"));
        given().auth().oauth2(token).contentType("application/json").body("{\"x\":\"" + "a".repeat(2_000_000) + "\"}")
                .when().put("/api/v1/preferences")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("at most 1048576 are accepted"));
        given().auth().oauth2(token).when().get("/api/v1/inbox?x=" + "a".repeat(10_000))
                .then().statusCode(414).contentType("application/problem+json")
                .body("detail", containsString("at most 8192"));
        given().auth().oauth2(token).when().get("/api/v1/inbox?limit=abc")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void quietHoursHoldAMessageUntilTheyEnd_butAnEscalationGoesAtOnce() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        String email = csm + "@customers.example";
        Fixtures.account(infra, account, "Quiet Corp", "MARS", csm, "Quinn Day", email, "Mars-9");
        ZoneOffset zone = zoneWhereItIsNoon();
        given().auth().oauth2(infra.token(Roles.CSM, csm)).contentType("application/json")
                .body("{\"timeZone\":\"" + zone.getId() + "\",\"quietHours\":{\"start\":\"11:00\",\"end\":\"13:00\"}}")
                .when().put("/api/v1/preferences")
                .then().statusCode(200).body("quietHours.start", equalTo("11:00"));

        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-q-" + account, "cta-q-" + account, "OPENED", account,
                csm, "HIGH", false, "5 open support tickets"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, csm))
                .when().get("/api/v1/inbox").then().body("$", hasSize(1)));
        dispatcher.drain(Channel.EMAIL);
        assertThat(infra.mail().receivedBy(email)).isEmpty();
        Instant held = Instant.parse(given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("eventId", "ev-q-" + account).queryParam("channel", "EMAIL")
                .when().get("/api/v1/deliveries").then().body("[0].status", equalTo("PENDING"))
                .extract().jsonPath().getString("[0].nextAttemptAt"));
        assertThat(held).isEqualTo(ZonedDateTime.now(TestClock.INSTANCE).withZoneSameInstant(zone)
                .with(LocalTime.of(13, 0)).toInstant());

        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-e-" + account, "cta-e-" + account, "ESCALATED",
                account, csm, "CRITICAL", true, "urgent ticket"));
        await().atMost(WAIT).until(() -> subjects(email).size() == 1);
        assertThat(subjects(email).get(0)).startsWith("[Escalation] CTA escalated: urgent ticket");

        TestClock.INSTANCE.advance(Duration.ofHours(2));
        dispatcher.drain(Channel.EMAIL);
        await().atMost(WAIT).until(() -> subjects(email).size() == 2);
        assertThat(subjects(email)).as(() -> "deliveries: " + given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("recipient", csm).when().get("/api/v1/deliveries").asString())
                .hasSize(2).anyMatch(s -> s.startsWith("New CTA: 5 open support tickets"));
    }

    @Test
    void lowPriorityMailWaitsForOneDailyDigest_andAChannelSetToOffStaysSilent() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        String email = csm + "@customers.example";
        Fixtures.account(infra, account, "Digest Works", "MERCURY", csm, "Dana Gist", email, "Mercury-9");
        ZoneOffset zone = zoneWhereItIsNoon();
        given().auth().oauth2(infra.token(Roles.CSM, csm)).contentType("application/json")
                .body("{\"timeZone\":\"" + zone.getId() + "\",\"digestAt\":\"14:00\",\"channels\":{\"WEBHOOK\":{\"LOW\":\"OFF\"}}}")
                .when().put("/api/v1/preferences")
                .then().statusCode(200).body("channels.WEBHOOK.LOW", equalTo("OFF"));

        for (String reason : List.of("ticket volume surge", "ticket reopened 3 times")) {
            String cta = "cta-" + reason.hashCode() + "-" + account;
            infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + cta, cta, "OPENED", account, csm, "LOW", false,
                    reason));
        }
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("recipient", csm).queryParam("channel", "EMAIL").queryParam("status", "DIGEST")
                .when().get("/api/v1/deliveries").then().body("$", hasSize(2)));
        given().auth().oauth2(infra.token(Roles.ADMIN)).queryParam("recipient", csm).queryParam("channel", "WEBHOOK")
                .when().get("/api/v1/deliveries").then().body("$", hasSize(0));

        digests.run();
        dispatcher.drain(Channel.EMAIL);
        assertThat(infra.mail().receivedBy(email)).isEmpty();

        TestClock.INSTANCE.advance(Duration.ofHours(3));
        digests.run();
        dispatcher.drain(Channel.EMAIL);
        List<MimeMessage> mails = infra.mail().receivedBy(email);
        assertThat(mails).hasSize(1);
        assertThat(subjects(email).get(0)).startsWith("Beacon daily digest for ").endsWith(": 2 CTA changes");
        assertThat(Mails.text(mails.get(0))).contains("Hello Dana Gist,", "ticket volume surge", "ticket reopened 3 times");

        // One digest a day: what arrives later waits for tomorrow's.
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-late-" + account, "cta-late-" + account, "OPENED",
                account, csm, "LOW", false, "late arrival"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.ADMIN))
                .queryParam("eventId", "ev-late-" + account).queryParam("channel", "EMAIL")
                .when().get("/api/v1/deliveries").then().body("[0].status", equalTo("DIGEST")));
        digests.run();
        dispatcher.drain(Channel.EMAIL);
        assertThat(infra.mail().receivedBy(email)).hasSize(1);
        TestClock.INSTANCE.advance(Duration.ofDays(1));
        digests.run();
        dispatcher.drain(Channel.EMAIL);
        assertThat(infra.mail().receivedBy(email)).hasSize(2);
    }

    /** A fixed offset whose local time is 12:30 now, so windows around noon are reached whenever the test runs. */
    private static ZoneOffset zoneWhereItIsNoon() {
        int utcSecondOfDay = ZonedDateTime.now(TestClock.INSTANCE).withZoneSameInstant(ZoneOffset.UTC).toLocalTime()
                .toSecondOfDay();
        return ZoneOffset.ofTotalSeconds((12 * 3600 + 30 * 60) - utcSecondOfDay);
    }

    private List<String> subjects(String email) {
        return infra.mail().receivedBy(email).stream().map(Mails::subject).toList();
    }
}
