package io.beacon.notify.inbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.WebhookSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class InboxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aCtaChangeReachesItsOwnersInboxOnceEvenWhenRedelivered() {
        String csm = Fixtures.id("csm");
        String account = Fixtures.id("acct");
        String opened = Fixtures.cta("ev-1-" + account, "cta-1", "OPENED", account, csm, "HIGH", false,
                "5 open support tickets");

        infra.send(Topics.CTAS_EVENTS, account, opened);
        infra.send(Topics.CTAS_EVENTS, account, opened);
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-2-" + account, "cta-1", "ESCALATED", account, csm,
                "CRITICAL", true, "5 open support tickets"));

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, csm))
                .when().get("/api/v1/inbox")
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].kind", equalTo("ESCALATED"))
                .body("[0].escalated", equalTo(true))
                .body("[1].title", equalTo("New CTA: 5 open support tickets — " + account + " (unknown segment)"))
                .body("[1].body", org.hamcrest.Matchers.containsString("threshold: 5"))
                .body("[1].link", equalTo("http://localhost:8085/#/accounts/" + account))
                .body("[1].read", equalTo(false)));
        // A shorter list says how much it leaves out.
        given().auth().oauth2(infra.token(Roles.CSM, csm)).queryParam("limit", 1).when().get("/api/v1/inbox")
                .then().statusCode(200).body("$", hasSize(1)).header("X-Total-Count", "2");
    }

    @Test
    void nobodyIsToldAboutWhatTheyDidThemselves() {
        String csm = Fixtures.id("csm");
        String account = Fixtures.id("acct");
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-a-" + account, "cta-own", "OPENED", account, csm, "HIGH",
                false, "5 open support tickets"));
        // She snoozes it herself (actor = her subject), then someone else reopens a closed one of hers.
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-b-" + account, "cta-own", "SNOOZED", account, csm, "HIGH",
                false, "5 open support tickets").replace("\"rule\":", "\"actor\":\"" + csm + "\",\"rule\":"));
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-c-" + account, "cta-own", "REOPENED", account, csm, "HIGH",
                false, "5 open support tickets").replace("\"rule\":", "\"actor\":\"lead-lee\",\"rule\":"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, csm))
                .when().get("/api/v1/inbox").then().statusCode(200)
                .body("$", hasSize(2)).body("kind", org.hamcrest.Matchers.containsInAnyOrder("OPENED", "REOPENED")));
    }

    @Test
    void aReassignedCtaReachesItsNewOwnerWhoMayBeKnownByEmail() {
        String account = Fixtures.id("acct");
        String ana = Fixtures.id("csm");
        String ben = Fixtures.id("csm");
        // The account is Ana's; Ben is known from another account of his.
        Fixtures.account(infra, account, "Yarrow Travel", "MERCURY", ana, "Ana", ana + "@customers.example", "M-1");
        Fixtures.account(infra, Fixtures.id("acct"), "Ben's own", "MERCURY", ben, "Ben", ben + "@customers.example", "M-1");
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-r-" + account, "cta-r-" + account, "REASSIGNED", account, ben,
                "HIGH", false, "5 open support tickets").replace("\"rule\":", "\"actor\":\"" + ana + "\",\"rule\":"));
        // Ben signs in under another name; his e-mail says who he is.
        String bensToken = infra.tokens().issue(Roles.CSM, "ben.brandt", java.time.Duration.ofMinutes(5),
                java.util.Map.of("email", ben.toUpperCase() + "@customers.example"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(bensToken).when().get("/api/v1/inbox").then()
                .statusCode(200).body("ctaId", org.hamcrest.Matchers.contains("cta-r-" + account))
                .body("[0].title", org.hamcrest.Matchers.containsString("reassigned")));
        // The account's CSM gave it away herself: she is not told.
        given().auth().oauth2(infra.token(Roles.CSM, ana)).when().get("/api/v1/inbox").then().body("$", hasSize(0));
    }

    @Test
    void aCsmSeesOnlyTheirOwnItems() {
        String owner = Fixtures.id("csm");
        String account = Fixtures.id("acct");
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-9", "OPENED", account, owner, "LOW",
                false, "ticket volume surge"));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, owner))
                .when().get("/api/v1/inbox").then().body("$", hasSize(1)));

        given().auth().oauth2(infra.token(Roles.CSM, "csm-someone-else"))
                .when().get("/api/v1/inbox")
                .then().statusCode(200).body("$", hasSize(0));
        long id = given().auth().oauth2(infra.token(Roles.CSM, owner)).when().get("/api/v1/inbox")
                .then().extract().jsonPath().getLong("[0].id");
        given().auth().oauth2(infra.token(Roles.CSM, "csm-someone-else"))
                .when().post("/api/v1/inbox/" + id + "/read")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void itemsAreMarkedReadAndUnreadAndTheUnreadCountFollows() {
        String csm = Fixtures.id("csm");
        String account = Fixtures.id("acct");
        for (int i = 1; i <= 3; i++) {
            infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + i + "-" + account, "cta-" + i, "OPENED",
                    account, csm, "MEDIUM", false, "reason " + i));
        }
        await().atMost(WAIT).untilAsserted(() -> unread(csm, 3));
        long first = given().auth().oauth2(infra.token(Roles.CSM, csm)).when().get("/api/v1/inbox")
                .then().extract().jsonPath().getLong("[2].id");

        given().auth().oauth2(infra.token(Roles.CSM, csm)).when().post("/api/v1/inbox/" + first + "/read")
                .then().statusCode(204);
        unread(csm, 2);
        given().auth().oauth2(infra.token(Roles.CSM, csm)).queryParam("unread", true).when().get("/api/v1/inbox")
                .then().body("$", hasSize(2));
        given().auth().oauth2(infra.token(Roles.CSM, csm)).when().post("/api/v1/inbox/" + first + "/unread")
                .then().statusCode(204);
        unread(csm, 3);
        given().auth().oauth2(infra.token(Roles.CSM, csm)).when().post("/api/v1/inbox/read-all")
                .then().statusCode(200).body("unread", equalTo(0));
        unread(csm, 0);
    }

    @Test
    void newItemsArriveLiveOnTheServerSentEventStream() throws Exception {
        String csm = Fixtures.id("csm");
        String account = Fixtures.id("acct");
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/inbox/stream"))
                        .header("Authorization", "Bearer " + infra.token(Roles.CSM, csm))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> stream = response.get(30, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.contains("\"op\":\"subscribed\"")));

        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-" + account, "cta-live-" + account, "OPENED", account,
                csm, "HIGH", false, "5 open support tickets"));

        await().atMost(WAIT).until(() -> lines.stream().anyMatch(
                l -> l.contains("\"op\":\"insert\"") && l.contains("cta-live-" + account) && l.contains("\"unread\":1")));
        stream.body().close();
    }

    @Test
    void theInboxNeedsTheCsmRole() {
        given().when().get("/api/v1/inbox").then().statusCode(401);
        given().auth().oauth2(infra.token(Roles.EXEC)).when().get("/api/v1/inbox").then().statusCode(403);
    }

    private void unread(String csm, int expected) {
        given().auth().oauth2(infra.token(Roles.CSM, csm)).when().get("/api/v1/inbox/unread-count")
                .then().statusCode(200).body("unread", equalTo(expected));
    }
}
