package io.beacon.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class AccessControlTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final String body = TicketEventResourceTest.event("evt-" + UUID.randomUUID(), "acct-x", "open");

    @Test
    void requestWithoutTokenIsUnauthorized() {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void tokenSignedByAnotherKeyIsUnauthorized() {
        String forged = new io.beacon.localstack.security.DevTokens(io.beacon.localstack.security.DevKeys.generate())
                .issue(Roles.INGEST, "mallory");
        given().auth().oauth2(forged).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(401);
    }

    @Test
    void csmMayNotPublishTicketEvents() {
        given().auth().oauth2(infra.token(Roles.CSM, "csm-1")).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/ticket-events")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
    }

    @Test
    void healthMetricsAndOpenApiNeedNoToken() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
