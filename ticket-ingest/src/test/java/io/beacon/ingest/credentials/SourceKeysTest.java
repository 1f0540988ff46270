package io.beacon.ingest.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.platform.kafka.CloudEventRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Source API keys through the admin API, used as a plain HTTP client (curl, a SaaS webhook) would. */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class SourceKeysTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void aKeyMadeByAnAdminPostsTicketEvents_namesItsSourceOnThem_andStopsWorkingWhenRevoked() {
        String source = "acme-freshdesk-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath made = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body("{\"source\":\"" + source + "\",\"description\":\"Freshdesk automation rule\"}")
                .when().post("/api/v1/source-keys").then().statusCode(201)
                .body("key", startsWith("bk_")).body("source", equalTo(source)).extract().jsonPath();
        String key = made.getString("key");
        String id = made.getString("id");
        // Listed without the key, and the stored form is not the key either.
        given().auth().oauth2(admin()).queryParam("source", source).when().get("/api/v1/source-keys")
                .then().statusCode(200).body("id", hasItem(id)).body("find { it.id == '" + id + "' }.active", equalTo(true))
                .body("find { it.id == '" + id + "' }.prefix", equalTo(key.substring(0, 10)))
                .body("key", everyItem(equalTo(null)))
                .body(not(org.hamcrest.Matchers.containsString(key)));

        String account = "acct-key-" + UUID.randomUUID();
        post(event(account, "k1"), "X-Beacon-Key", key).statusCode(202);
        ConsumerRecord<String, String> record = infra.awaitRecords(Topics.TICKETS_EVENTS, account, 1).get(0);
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.SOURCE))
                .isEqualTo("/beacon/ticket-ingest/api/" + source);
        // The way a desk's webhook authenticates: HTTP Basic with the key as the user name.
        post(event(account, "k2"), "Authorization", basic(key, "")).statusCode(202);

        // A key is for sending events, nothing else.
        given().header("X-Beacon-Key", key).when().get("/api/v1/source-keys").then().statusCode(403);
        post(event(account, "k3"), "X-Beacon-Key", key.substring(0, key.length() - 2) + "xx").statusCode(401);

        given().auth().oauth2(admin()).when().delete("/api/v1/source-keys/" + id).then().statusCode(204);
        post(event(account, "k4"), "X-Beacon-Key", key).statusCode(401);
        post(event(account, "k5"), "Authorization", basic(key, "")).statusCode(401);
        given().auth().oauth2(admin()).when().delete("/api/v1/source-keys/" + id).then().statusCode(404);
    }

    @Test
    void rotatingGivesANewKeyAndTheOldOneWorksForItsGracePeriodOnly() {
        String source = "jsm-automation-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath first = create(source);
        String account = "acct-rot-" + UUID.randomUUID();

        JsonPath graced = given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"graceHours\":1}")
                .when().post("/api/v1/source-keys/" + first.getString("id") + "/rotate").then().statusCode(201)
                .extract().jsonPath();
        post(event(account, "r1"), "X-Beacon-Key", first.getString("key")).statusCode(202);
        post(event(account, "r2"), "X-Beacon-Key", graced.getString("key")).statusCode(202);

        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"graceHours\":0}")
                .when().post("/api/v1/source-keys/" + graced.getString("id") + "/rotate").then().statusCode(201);
        post(event(account, "r3"), "X-Beacon-Key", graced.getString("key")).statusCode(401);
        given().auth().oauth2(admin()).queryParam("source", source).when().get("/api/v1/source-keys")
                .then().body("findAll { it.active }.size()", equalTo(2));
    }

    @Test
    void onlyAnAdminMakesKeys_andASourceNameIsChecked() {
        given().auth().oauth2(infra.token(Roles.INGEST, "desk")).contentType(ContentType.JSON)
                .body("{\"source\":\"desk\"}").when().post("/api/v1/source-keys").then().statusCode(403);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"source\":\"Acme Desk!\"}")
                .when().post("/api/v1/source-keys").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("source"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"source\":\"desk\",\"description\":\"a\\u0000b\"}")
                .when().post("/api/v1/source-keys").then().statusCode(400);
    }

    private JsonPath create(String source) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"source\":\"" + source + "\"}")
                .when().post("/api/v1/source-keys").then().statusCode(201).extract().jsonPath();
    }

    private String admin() {
        return infra.token(Roles.ADMIN, "ops-admin");
    }

    private static io.restassured.response.ValidatableResponse post(String body, String header, String value) {
        return given().contentType(ContentType.JSON).header(header, value).body(body)
                .when().post("/api/v1/ticket-events").then();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String event(String account, String id) {
        Instant now = Instant.now();
        return """
                {"eventId":"%s-%s","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"T-%s","status":"open","priority":"normal","updatedAt":"%s"}}
                """.formatted(account, id, now, account, id, now);
    }
}
