package io.beacon.accounts.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
class AccountCsvImportTest {

    private static final Path SEEDS = Path.of("..", "seeds");
    private static final String HEADER = "id,name,employees,csm_id,arr,renewal_date,lifecycle_stage,zendesk_org_id\n";

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Test
    void importingTheSeedFileGivesEachAccountTheSegmentOfItsEmployeeCount() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        createSeedCsms(run);
        // Ids, CSM ids and desk ids made unique to this run, so the test owns every row it checks.
        List<String> lines = Files.readAllLines(SEEDS.resolve("accounts.csv"));
        List<String[]> rows = lines.stream().skip(1).map(l -> l.split(",", -1)).map(f -> {
            f[0] = run + "-" + f[0];
            f[3] = f[3].isEmpty() ? "" : run + "-" + f[3];
            f[7] = run + "-" + f[7];
            f[8] = run + "-" + f[8];
            f[9] = run + "-" + f[9];
            return f;
        }).toList();
        String csv = lines.get(0) + "\n" + String.join("\n", rows.stream().map(f -> String.join(",", f)).toList()) + "\n";

        Fixtures.importCsv(csv).statusCode(200)
                .body("rows", equalTo(rows.size()))
                .body("created", equalTo(rows.size()))
                .body("errors.size()", equalTo(0));

        Map<String, Integer> expected = new TreeMap<>();
        Map<String, Integer> actual = new TreeMap<>();
        for (String[] row : rows) {
            int employees = Integer.parseInt(row[2]);
            // The brief's boundaries, written out here rather than taken from Segment.
            String segment = employees >= 3000 ? "JUPITER" : employees >= 400 ? "VENUS" : employees >= 100 ? "MARS" : "MERCURY";
            expected.merge(segment, 1, Integer::sum);
            String got = given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + row[0])
                    .then().statusCode(200).extract().path("segment");
            actual.merge(got, 1, Integer::sum);
        }
        assertThat(actual).isEqualTo(expected).containsOnlyKeys("MERCURY", "MARS", "VENUS", "JUPITER");

        // Every row has an owner afterwards: the file's, or the least-loaded CSM of the segment's teams.
        String[] unowned = rows.stream().filter(r -> r[3].isEmpty()).findFirst().orElseThrow();
        String owner = given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + unowned[0])
                .then().extract().path("csm.id");
        assertThat(owner).isNotNull();

        // The same file again changes nothing and publishes nothing.
        Fixtures.importCsv(csv).statusCode(200)
                .body("unchanged", equalTo(rows.size()))
                .body("created", equalTo(0))
                .body("updated", equalTo(0));
        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + rows.get(0)[0])
                .then().body("version", equalTo(1));
    }

    @Test
    void badRowsAreReportedByLineWhileGoodRowsAreApplied() {
        String team = Fixtures.team("MARS");
        String csm = Fixtures.csm(team);
        String p = "imp-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String csv = HEADER
                + p + "1,Good One,150," + csm + ",1000,2027-01-01,mature,\n"
                + p + "2,Negative,-5,,,,,\n"
                + p + "1,Duplicate,20,,,,,\n"
                + p + "3,Unknown Owner,20,nobody-" + p + ",,,,\n"
                + p + "4,Bad Date,20,,,31/12/2027,,\n"
                + p + "5,\"Quoted, Inc.\",20,,,,,\n";

        Fixtures.importCsv(csv).statusCode(200)
                .body("rows", equalTo(6))
                .body("created", equalTo(2))
                .body("errors.size()", equalTo(4))
                .body("errors.find { it.line == 3 }.errors[0]", containsString("employees must be greater than or equal to 0"))
                .body("errors.find { it.line == 4 }.errors[0]", containsString("already appears on line 2"))
                .body("errors.find { it.line == 5 }.errors[0]", containsString("Unknown CSM"))
                .body("errors.find { it.line == 6 }.errors[0]", containsString("is not a date"));

        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + p + "5")
                .then().statusCode(200).body("name", equalTo("Quoted, Inc."));
        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/" + p + "2").then().statusCode(404);
    }

    @Test
    void wrongColumnsAreRefusedNamingWhatIsMissingAndUnknown() {
        Fixtures.importCsv("ident,name,staff\nx,y,1\n").statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Missing column(s): employees, id"))
                .body("detail", containsString("Unknown column(s): ident, staff"));
    }

    @Test
    void tenMegabyteFileIsRefusedAsTooLarge() {
        char[] filler = new char[10 * 1024 * 1024];
        Arrays.fill(filler, 'x');
        Fixtures.importCsv(HEADER + new String(filler)).statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("Split it"));
    }

    @Test
    void unclosedQuoteIsRefusedAsInvalidCsv() {
        Fixtures.importCsv(HEADER + "a,\"never closed,1,,,,,\n").statusCode(400)
                .body("detail", containsString("never closed"));
    }

    @Test
    void exportCanBeImportedAgainUnchanged() {
        String p = "exp-" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.importCsv(HEADER.replace("\n", ",freshdesk_company_id,jsm_organization_id,support,adoption,sentiment,relationship\n")
                + p + ",Round Trip,500,,2500.50,2027-06-30,adoption,zd-" + p + ",fd-" + p + ",jsm-" + p + ",80,70,60,50\n")
                .statusCode(200)
                .body("created", equalTo(1));

        String exported = given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/accounts/export")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        String line = exported.lines().filter(l -> l.startsWith(p + ",")).findFirst().orElseThrow();
        assertThat(line).endsWith(",adoption,zd-" + p + ",fd-" + p + ",jsm-" + p + ",80,70,60,50")
                .contains(",2500.50,2027-06-30,");

        Fixtures.importCsv(exported.lines().findFirst().orElseThrow() + "\n" + line + "\n").statusCode(200)
                .body("unchanged", equalTo(1));
    }

    @Test
    void importNeedsAdmin() {
        given().auth().oauth2(infra.token(Roles.EXEC)).contentType("text/csv").body(HEADER)
                .when().post("/api/v1/accounts/import").then().statusCode(403);
        given().contentType(ContentType.TEXT).body(HEADER).when().post("/api/v1/accounts/import").then().statusCode(401);
    }

    private void createSeedCsms(String run) throws IOException {
        List<String> lines = Files.readAllLines(SEEDS.resolve("csms.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            String team = run + "-" + f[3];
            given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                    .body("{\"name\":\"" + team + "\",\"segment\":\"" + f[4] + "\"}").post("/api/v1/teams");
            given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                    .body("{\"id\":\"" + run + "-" + f[0] + "\",\"name\":\"" + f[1] + "\",\"email\":\"" + f[2]
                            + "\",\"team\":\"" + team + "\"}")
                    .post("/api/v1/csms").then().statusCode(201);
        }
        given().auth().oauth2(infra.token(Roles.EXEC)).get("/api/v1/teams").then()
                .body("name", hasItem(run + "-Mars-2"));
    }
}
