package io.beacon.accounts.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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
class AccountRequestValidationTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void negativeEmployeesIsRefusedNamingTheField() {
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(AccountSnapshotPublishingTest.account("acct-" + UUID.randomUUID(), -3, null))
                .when().post("/api/v1/accounts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("employees"));
    }

    @Test
    void unknownCsmIsRefused() {
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(AccountSnapshotPublishingTest.account("acct-" + UUID.randomUUID(), 10, "nobody"))
                .when().post("/api/v1/accounts")
                .then().statusCode(400)
                .body("detail", containsString("Unknown CSM 'nobody'"));
    }

    @Test
    void duplicateIdIsAConflict() {
        String id = "acct-" + UUID.randomUUID();
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(AccountSnapshotPublishingTest.account(id, 10, null))
                .when().post("/api/v1/accounts").then().statusCode(201);
        given().auth().oauth2(infra.token(Roles.ADMIN)).contentType(ContentType.JSON)
                .body(AccountSnapshotPublishingTest.account(id, 10, null))
                .when().post("/api/v1/accounts")
                .then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void missingAccountIsNotFoundAsProblem() {
        given().auth().oauth2(infra.token(Roles.EXEC))
                .when().get("/api/v1/accounts/does-not-exist")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void readingNeedsATokenAndWritingNeedsAdmin() {
        given().when().get("/api/v1/accounts/x").then().statusCode(401);
        given().auth().oauth2(infra.token(Roles.CSM, "csm-1")).contentType(ContentType.JSON)
                .body(AccountSnapshotPublishingTest.account("acct-" + UUID.randomUUID(), 10, null))
                .when().post("/api/v1/accounts")
                .then().statusCode(403);
    }
}
