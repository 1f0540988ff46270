package io.beacon.notify.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class InboxTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void ctaEventReachesItsOwnersInboxOnceEvenWhenRedelivered() {
        String csm = "csm-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        String opened = cta("ev-1-" + account, "cta-1", "OPENED", account, csm);

        infra.send(Topics.CTAS_EVENTS, account, opened);
        infra.send(Topics.CTAS_EVENTS, account, opened);
        // A later change of the same CTA: once it is visible, the redelivery before it was processed too.
        infra.send(Topics.CTAS_EVENTS, account, cta("ev-2-" + account, "cta-1", "ESCALATED", account, csm));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, csm))
                .when().get("/api/v1/inbox")
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].kind", equalTo("ESCALATED"))
                .body("[0].escalated", equalTo(true))
                .body("[1].title", equalTo("New CTA: 5 open support tickets (" + account + ")")));
    }

    @Test
    void aCsmSeesOnlyTheirOwnItems() {
        String owner = "csm-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        infra.send(Topics.CTAS_EVENTS, account, cta("ev-" + account, "cta-9", "OPENED", account, owner));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.CSM, owner))
                .when().get("/api/v1/inbox").then().body("$", hasSize(1)));

        given().auth().oauth2(infra.token(Roles.CSM, "csm-someone-else"))
                .when().get("/api/v1/inbox")
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void inboxNeedsTheCsmRole() {
        given().when().get("/api/v1/inbox").then().statusCode(401);
        given().auth().oauth2(infra.token(Roles.EXEC)).when().get("/api/v1/inbox").then().statusCode(403);
    }

    static String cta(String eventId, String ctaId, String kind, String account, String owner) {
        return """
                {"eventId":"%s","ctaId":"%s","kind":"%s","accountId":"%s","type":"RISK",
                 "reason":"5 open support tickets","priority":"HIGH","escalated":%s,"ownerCsmId":"%s",
                 "rule":{"ruleset":"support","version":1,"rule":"SupportRisk"}}
                """.formatted(eventId, ctaId, kind, account, kind.equals("ESCALATED"), owner);
    }
}
