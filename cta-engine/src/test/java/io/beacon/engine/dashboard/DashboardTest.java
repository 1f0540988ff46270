package io.beacon.engine.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The executive dashboard's data and the live feed behind the web UI, through the real broker: an
 * urgent ticket on a JUPITER account becomes an escalation that the dashboard lists with the
 * account's ARR and health, and that every exec subscriber, and the owning CSM only, sees live.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class DashboardTest {

    private final BeaconTestInfra infra = BeaconTestInfra.get();
    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1/live")
    URI live;

    @Test
    void anEscalationReachesTheDashboardAndTheLiveFeedOfExecsAndItsOwnerOnly() throws Exception {
        String account = "dash-" + UUID.randomUUID();
        String owner = "csm-" + UUID.randomUUID();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Dashboard Test Inc","employees":5000,"segment":"JUPITER","arr":250000.00,
                 "health":{"score":31,"color":"RED","measures":[]},
                 "csm":{"id":"%s","name":"CSM","email":"c@example.com","team":"Jupiter-9"},"version":1}
                """.formatted(account, owner));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(infra.token(Roles.EXEC))
                .get("/api/v1/accounts/" + account + "/tickets").then().statusCode(200));

        // The browser's way in: the sign-in cookie, which EventSource sends (it cannot set headers).
        List<String> exec = subscribe(infra.token(Roles.EXEC, "exec-1"));
        List<String> mine = subscribe(infra.token(Roles.CSM, owner));
        List<String> other = subscribe(infra.token(Roles.CSM, "csm-someone-else"));
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribed(exec) && subscribed(mine) && subscribed(other));

        Instant now = Instant.now();
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"u1","status":"open","priority":"urgent","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), now, account, now, now));

        await().atMost(Duration.ofSeconds(30)).until(() -> mentions(exec, account) && mentions(mine, account));
        assertThat(exec.stream().filter(l -> l.contains(account)).findFirst().orElseThrow())
                .contains("\"kind\":\"ESCALATED\"").contains("\"escalated\":true");
        assertThat(other).noneMatch(l -> l.contains(account));

        JsonPath dashboard = given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/dashboard")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> escalation = dashboard.getMap("escalations.find { it.accountId == '" + account + "' }");
        assertThat(escalation).containsEntry("segment", "JUPITER").containsEntry("healthColor", "RED")
                .containsEntry("csmTeam", "Jupiter-9").containsEntry("reason", "urgent-ticket")
                .containsEntry("accountName", "Dashboard Test Inc").containsEntry("ageHours", 0);
        assertThat(((Number) escalation.get("arr")).doubleValue()).isEqualTo(250000.0);
        assertThat(dashboard.getInt("openEscalations")).isGreaterThanOrEqualTo(1);
        assertThat(dashboard.getInt("segments.find { it.segment == 'JUPITER' }.health.RED")).isGreaterThanOrEqualTo(1);
        assertThat(dashboard.getDouble("segments.find { it.segment == 'JUPITER' }.arrAtRisk")).isGreaterThanOrEqualTo(250000.0);
        assertThat(dashboard.getInt("weeks[-1].escalations")).isGreaterThanOrEqualTo(1);
        assertThat(dashboard.getList("weeks")).hasSize(8);
    }

    @Test
    void escalationsComeAPageAtATimeSortedFilteredAndAsCsvAForeignFormulaDefused() {
        String team = "Team-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> accounts = new java.util.LinkedHashMap<>();
        accounts.put("100000.00", "Small Co");
        accounts.put("300000.00", "=HYPERLINK(\"http://evil.example\",\"Big Co\")");
        accounts.put("200000.00", "Middle Co");
        List<String> ids = new java.util.ArrayList<>();
        accounts.forEach((arr, name) -> {
            String account = "dash-" + UUID.randomUUID();
            ids.add(account);
            infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                    {"accountId":"%s","name":%s,"employees":5000,"segment":"JUPITER","arr":%s,
                     "csm":{"id":"csm-%s","name":"CSM","email":"c@example.com","team":"%s"},"version":1}
                    """.formatted(account, jsonString(name), arr, team, team));
            Instant now = Instant.now();
            infra.send(Topics.TICKETS_EVENTS, account, """
                    {"eventId":"%s","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                     "ticket":{"id":"u1","status":"open","priority":"urgent","createdAt":"%s","updatedAt":"%s"}}
                    """.formatted(UUID.randomUUID(), now, account, now, now));
        });
        String exec = infra.token(Roles.EXEC);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(exec).queryParam("team", team)
                .get("/api/v1/dashboard/escalations").then().statusCode(200).header("X-Total-Count", "3"));

        given().auth().oauth2(exec).queryParam("team", team).queryParam("sort", "arr").queryParam("size", 2)
                .get("/api/v1/dashboard/escalations").then().statusCode(200).header("X-Total-Count", "3")
                .body("arr", org.hamcrest.Matchers.contains(300000.0f, 200000.0f));
        given().auth().oauth2(exec).queryParam("team", team).queryParam("sort", "ARR").queryParam("size", 2)
                .queryParam("page", 1).get("/api/v1/dashboard/escalations").then()
                .body("accountName", org.hamcrest.Matchers.contains("Small Co"));
        given().auth().oauth2(exec).queryParam("team", team).queryParam("segment", "mercury")
                .get("/api/v1/dashboard/escalations").then().header("X-Total-Count", "0");
        given().auth().oauth2(exec).queryParam("sort", "loudest").get("/api/v1/dashboard/escalations").then()
                .statusCode(400).body("errors[0].field", equalTo("sort"));
        given().auth().oauth2(exec).queryParam("size", 501).get("/api/v1/dashboard/escalations").then()
                .statusCode(400).body("errors[0].field", equalTo("size"));
        given().auth().oauth2(infra.token(Roles.CSM, "csm-1")).get("/api/v1/dashboard/escalations").then().statusCode(403);

        String csv = given().auth().oauth2(exec).accept("text/csv").queryParam("team", team).queryParam("sort", "ARR")
                .get("/api/v1/dashboard/escalations").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("accountId,accountName,segment,arr,health,csm,team,reason");
        assertThat(lines.get(1)).contains(ids.get(1)).contains("\"'=HYPERLINK(").contains(",300000.00,");
        assertThat(lines.get(3)).contains(ids.get(0)).contains("Small Co").contains("urgent-ticket");
    }

    @Test
    void theWeeklyTrendCountsAnEscalationInTheWeekOfItsEvent_notTheWeekItWasProcessed() {
        // History replayed today (as the local stack's 30-day seed is): an urgent ticket of 16 days ago.
        Instant then = Instant.now().minus(Duration.ofDays(16));
        String week = then.atZone(java.time.ZoneOffset.UTC).toLocalDate()
                .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).toString();
        String exec = infra.token(Roles.EXEC);
        int before = given().auth().oauth2(exec).get("/api/v1/dashboard").then().extract().jsonPath()
                .getInt("weeks.find { it.weekOf == '" + week + "' }.escalations");
        String account = "dash-past-" + UUID.randomUUID();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Past Week Ltd","employees":5000,"segment":"JUPITER","arr":10000.00,
                 "csm":{"id":"csm-past","name":"CSM","email":"c@example.com","team":"Jupiter-9"},"version":1}
                """.formatted(account));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(exec)
                .get("/api/v1/accounts/" + account + "/tickets").then().statusCode(200));
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"p1","status":"open","priority":"urgent","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), then, account, then, then));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(exec).queryParam("accountId", account)
                .get("/api/v1/ctas").then().body("escalated", hasItem(true)));
        assertThat(given().auth().oauth2(exec).get("/api/v1/dashboard").then().extract().jsonPath()
                .getInt("weeks.find { it.weekOf == '" + week + "' }.escalations")).isEqualTo(before + 1);
    }

    @Test
    void aTestAccountsEscalationIsRaisedButKeptOutOfTheDashboard() {
        String team = "Team-" + UUID.randomUUID().toString().substring(0, 8);
        String account = "dash-test-" + UUID.randomUUID();
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, account, """
                {"accountId":"%s","name":"Benchmark Co","employees":5000,"segment":"JUPITER","arr":900000.00,
                 "csm":{"id":"csm-%s","name":"CSM","email":"c@example.com","team":"%s"},"version":1,"test":true}
                """.formatted(account, team, team));
        Instant now = Instant.now();
        infra.send(Topics.TICKETS_EVENTS, account, """
                {"eventId":"%s","source":"api","type":"created","occurredAt":"%s","accountId":"%s",
                 "ticket":{"id":"u1","status":"open","priority":"urgent","createdAt":"%s","updatedAt":"%s"}}
                """.formatted(UUID.randomUUID(), now, account, now, now));
        String exec = infra.token(Roles.EXEC);
        // The CTA is real (its CSM works it)...
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(exec).queryParam("accountId", account)
                .get("/api/v1/ctas").then().body("escalated", hasItem(true)));
        // ...but the executive figures leave the test account out.
        given().auth().oauth2(exec).queryParam("team", team).get("/api/v1/dashboard/escalations").then()
                .header("X-Total-Count", "0");
        assertThat(given().auth().oauth2(exec).get("/api/v1/dashboard").then().extract().jsonPath()
                .getList("escalations.accountId")).doesNotContain(account);
    }

    private static String jsonString(String value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDashboardIsForExecsAndOnlyABearerTokenAuthenticates() {
        given().auth().oauth2(infra.token(Roles.CSM, "csm-1")).get("/api/v1/dashboard").then().statusCode(403);
        given().get("/api/v1/dashboard").then().statusCode(401);
        // A valid token in a cookie is nothing here: browsers send cookies on their own, bearer headers they do not.
        given().cookie("beacon_token", infra.token(Roles.EXEC, "exec-1")).get("/api/v1/dashboard").then().statusCode(401);
        given().auth().oauth2(infra.token(Roles.CSM, "csm-7")).get("/api/v1/me").then().statusCode(200)
                .body("subject", equalTo("csm-7")).body("roles[0]", equalTo("csm"));
    }

    private List<String> subscribe(String token) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(live).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
            }
        });
        return lines;
    }

    private static boolean subscribed(List<String> lines) {
        return lines.stream().anyMatch(l -> l.contains("SUBSCRIBED"));
    }

    private static boolean mentions(List<String> lines, String account) {
        return lines.stream().anyMatch(l -> l.contains(account));
    }
}
