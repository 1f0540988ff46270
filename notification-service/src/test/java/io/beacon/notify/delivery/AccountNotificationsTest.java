package io.beacon.notify.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.WebhookSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The account page's "notifications sent": each change about the account and where it went, to those who may see it. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@QuarkusTestResource(WebhookSink.class)
class AccountNotificationsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void theAccountsChangesAndTheirDeliveriesForItsCsmHerLeadAndExecutives() {
        String account = Fixtures.id("acct");
        String csm = Fixtures.id("csm");
        String lead = Fixtures.id("lead");
        Fixtures.account(infra, account, "Willow Media", "MERCURY", csm, "Chloe", csm + "@customers.example", "M-2", lead);
        infra.send(Topics.CTAS_EVENTS, account, Fixtures.cta("ev-n-" + account, "cta-n-" + account, "OPENED", account, csm,
                "HIGH", false, "5 open support tickets"));

        String path = "/api/v1/accounts/" + account + "/notifications";
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC)).get(path).then()
                .statusCode(200).body("$", hasSize(1)).body("[0].kind", equalTo("OPENED"))
                .body("[0].ctaId", equalTo("cta-n-" + account))
                .body("[0].deliveries.channel", hasItem("INBOX")).body("[0].deliveries.recipientId", hasItem(csm)));
        given().auth().oauth2(infra.token(Roles.CSM, csm)).get(path).then().statusCode(200).body("$", hasSize(1));
        given().auth().oauth2(infra.token(Roles.CSM, lead)).get(path).then().statusCode(200).body("$", hasSize(1));
        given().auth().oauth2(infra.token(Roles.CSM, Fixtures.id("csm"))).get(path).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(infra.token(Roles.EXEC)).get(path + "?limit=0").then().statusCode(400);
        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/acct-none/notifications").then()
                .statusCode(200).body("$", hasSize(0));
    }
}
