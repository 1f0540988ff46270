package io.beacon.accounts.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class OwnershipAndHealthTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void accountWithoutOwnerGoesToTheLeastLoadedCsmOfItsSegmentsTeams() {
        String team = Fixtures.team("VENUS");
        String busy = Fixtures.csm(team);
        Fixtures.csm(team);
        Fixtures.createAccount(account("own-" + UUID.randomUUID(), 500, busy)).statusCode(201);

        Map<String, Integer> loadBefore = venusLoad();
        int least = loadBefore.values().stream().min(Integer::compareTo).orElseThrow();

        String assigned = Fixtures.createAccount(account("own-" + UUID.randomUUID(), 600, null)).statusCode(201)
                .body("ownerOutsideSegmentTeam", equalTo(false))
                .extract().path("csm.id");
        assertThat(loadBefore.get(assigned)).as("load of the chosen CSM before").isEqualTo(least);
        assertThat(assigned).isNotEqualTo(busy);
    }

    @Test
    void ownerFromAnotherSegmentsTeamIsAllowedButFlagged() {
        String jupiterCsm = Fixtures.csm(Fixtures.team("JUPITER"));
        Fixtures.createAccount(account("flag-" + UUID.randomUUID(), 50, jupiterCsm)).statusCode(201)
                .body("segment", equalTo("MERCURY"))
                .body("csm.id", equalTo(jupiterCsm))
                .body("ownerOutsideSegmentTeam", equalTo(true));
    }

    @Test
    void scorecardGivesWeightedScoreColourAndHistory() {
        String id = "health-" + UUID.randomUUID();
        Fixtures.createAccount(account(id, 120, null)).statusCode(201);

        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"measures\":[{\"name\":\"support\",\"weight\":50,\"score\":40},"
                        + "{\"name\":\"adoption\",\"weight\":50,\"score\":100}]}")
                .when().put("/api/v1/accounts/" + id + "/health")
                .then().statusCode(200)
                .body("health.score", equalTo(70))
                .body("health.color", equalTo("YELLOW"));

        // 50 is the lowest YELLOW score with the default bands (RED below 50, GREEN from 76).
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body("{\"score\":0}")
                .when().put("/api/v1/accounts/" + id + "/health/measures/support")
                .then().statusCode(200)
                .body("health.score", equalTo(50))
                .body("health.color", equalTo("YELLOW"))
                .body("health.measures.find { it.name == 'support' }.weight", equalTo(50));

        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body("{\"score\":0}")
                .when().put("/api/v1/accounts/" + id + "/health/measures/adoption")
                .then().body("health.color", equalTo("RED"));

        given().auth().oauth2(infra.token(Roles.CSM, "csm-x")).get("/api/v1/accounts/" + id + "/health/history")
                .then().statusCode(200)
                .body("score", contains(70, 50, 0))
                .body("color", contains("YELLOW", "YELLOW", "RED"))
                .body("[0].changedBy", equalTo("admin-user"));

        given().auth().oauth2(Fixtures.admin()).queryParam("color", "RED").queryParam("size", 500)
                .get("/api/v1/accounts").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.hasItem(id));
    }

    @Test
    void scorecardWhoseWeightsDoNotAddUpIsRefused() {
        String id = "health-" + UUID.randomUUID();
        Fixtures.createAccount(account(id, 120, null)).statusCode(201);
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"measures\":[{\"name\":\"support\",\"weight\":60,\"score\":40},"
                        + "{\"name\":\"adoption\",\"weight\":60,\"score\":101}]}")
                .when().put("/api/v1/accounts/" + id + "/health")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("add up to 120"))
                .body("detail", containsString("scores run from 0 to 100"));
    }

    @Test
    void accountIsFoundByItsSupportSystemIdAndThatIdCannotBeTakenTwice() {
        String id = "ext-" + UUID.randomUUID();
        String zendesk = "zd-" + UUID.randomUUID();
        Fixtures.createAccount(account(id, 10, null).replace("}", ",\"externalIds\":{\"zendesk\":\"" + zendesk + "\"}}"))
                .statusCode(201);

        given().auth().oauth2(infra.token(Roles.INGEST)).get("/api/v1/accounts/by-external-id/zendesk/" + zendesk)
                .then().statusCode(200).body("id", equalTo(id));
        Fixtures.createAccount(account("other-" + id, 10, null)
                .replace("}", ",\"externalIds\":{\"zendesk\":\"" + zendesk + "\"}}"))
                .statusCode(409)
                .body("detail", containsString("already belongs to account '" + id + "'"));
    }

    @Test
    void listIsPagedAndFilteredBySegment() {
        String team = Fixtures.team("JUPITER");
        String csm = Fixtures.csm(team);
        for (int i = 0; i < 3; i++) {
            Fixtures.createAccount(account("page-" + UUID.randomUUID(), 5000 + i, csm)).statusCode(201);
        }
        given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("csm", csm).queryParam("segment", "JUPITER")
                .queryParam("size", 2).queryParam("page", 1)
                .get("/api/v1/accounts").then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.size()", equalTo(1))
                .body("page", equalTo(1));
        given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("segment", "PLUTO").get("/api/v1/accounts")
                .then().statusCode(400)
                .body("detail", containsString("Query parameter 'segment' must be one of MERCURY, MARS, VENUS, JUPITER; it was 'PLUTO'"))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("segment"));
    }

    private Map<String, Integer> venusLoad() {
        List<Map<String, String>> teams = given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/teams")
                .then().extract().path("findAll { it.segment == 'VENUS' }");
        List<String> venusTeams = teams.stream().map(t -> t.get("name")).toList();
        List<Map<String, String>> csms = given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/csms")
                .then().extract().path("$");
        return csms.stream().filter(c -> venusTeams.contains(c.get("team"))).collect(Collectors.toMap(c -> c.get("id"),
                c -> given().auth().oauth2(infra.token(Roles.EXEC)).queryParam("csm", c.get("id")).queryParam("size", 1)
                        .get("/api/v1/accounts").then().extract().<Integer>path("total")));
    }

    static String account(String id, int employees, String csmId) {
        return "{\"id\":\"" + id + "\",\"name\":\"Test Co\",\"employees\":" + employees
                + (csmId == null ? "" : ",\"csmId\":\"" + csmId + "\"") + "}";
    }
}
