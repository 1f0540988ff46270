package io.beacon.accounts.rest;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import io.beacon.contracts.Roles;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Arranges accounts, teams and CSMs through the API, with ids unique to each test. */
final class Fixtures {

    private static final BeaconTestInfra INFRA = BeaconTestInfra.get();

    private Fixtures() {
    }

    static String admin() {
        return INFRA.token(Roles.ADMIN);
    }

    static String team(String segment) {
        String name = "team-" + UUID.randomUUID();
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"segment\":\"" + segment + "\"}")
                .when().post("/api/v1/teams").then().statusCode(201);
        return name;
    }

    static String csm(String team) {
        String id = "csm-" + UUID.randomUUID();
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"name\":\"Test CSM\",\"email\":\"csm@example.com\",\"team\":\"" + team + "\"}")
                .when().post("/api/v1/csms").then().statusCode(201);
        return id;
    }

    static ValidatableResponse createAccount(String json) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(json)
                .when().post("/api/v1/accounts").then();
    }

    static ValidatableResponse importCsv(String csv) {
        return given().auth().oauth2(admin()).contentType("text/csv").body(csv)
                .when().post("/api/v1/accounts/import").then();
    }
}
