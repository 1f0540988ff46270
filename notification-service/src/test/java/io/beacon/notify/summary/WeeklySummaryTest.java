package io.beacon.notify.summary;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Roles;
import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.beacon.localstack.testing.BeaconTestInfra;
import io.beacon.localstack.testing.TestClock;
import io.beacon.notify.delivery.Channel;
import io.beacon.notify.delivery.Dispatcher;
import io.beacon.notify.support.Fixtures;
import io.beacon.notify.support.Mails;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
class WeeklySummaryTest {

    private static final String EXEC = "exec-escalations@beacon.example";
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BeaconTestInfra infra = BeaconTestInfra.get();

    @Inject
    WeeklySummaryJob job;

    @Inject
    Dispatcher dispatcher;

    @Inject
    io.beacon.notify.content.Renderer renderer;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    @Test
    void theExecutiveListGetsOneSummaryAWeek_onMondayAtEightInTheirOwnTimeZone_withTheWeeksFigures() throws Exception {
        // The executive, signed in with the listed address (any case), sets their time zone like any recipient.
        String exec = infra.tokens().issue(Roles.EXEC, "erin-" + Fixtures.id("x"), Duration.ofMinutes(10),
                Map.of("email", "Exec-Escalations@Beacon.example"));
        given().auth().oauth2(exec).contentType("application/json")
                .body("{\"timeZone\":\"Asia/Kolkata\",\"digestAt\":\"08:00\"}")
                .when().put("/api/v1/preferences").then().statusCode(200);
        given().auth().oauth2(exec).when().get("/api/v1/weekly-summary/recipients")
                .then().statusCode(200).body("find { it.email == '" + EXEC + "' }.timeZone", equalTo("Asia/Kolkata"));

        // 07:30 next Monday in Kolkata (02:00 UTC): not due yet.
        ZonedDateTime monday = ZonedDateTime.now(TestClock.INSTANCE).withZoneSameInstant(KOLKATA)
                .with(TemporalAdjusters.next(DayOfWeek.MONDAY)).with(LocalTime.of(7, 30));
        TestClock.INSTANCE.advance(Duration.between(TestClock.INSTANCE.instant(), monday.toInstant()));
        assertThat(job.run()).isZero();

        TestClock.INSTANCE.advance(Duration.ofHours(1));
        Instant due = monday.with(LocalTime.of(8, 0)).toInstant();
        JsonPath before = summary(exec);
        assertThat(before.getString("to")).isEqualTo(due.toString());

        String run = Fixtures.id("ws");
        String alpha = run + "-alpha", beta = run + "-beta", gamma = run + "-gamma", test = run + "-test";
        account(alpha, "Alpha " + run, "JUPITER", "900000000", "RED", false);
        account(beta, "Beta " + run, "VENUS", "800000000", "GREEN", false);
        account(gamma, "Gamma " + run, "MARS", "700000000", "YELLOW", false);
        account(test, "Benchmark " + run, "JUPITER", "999000000", "RED", true);
        for (int i = 1; i <= 3; i++) {
            cta(alpha, "a" + i, "OPENED", true, due.minus(Duration.ofDays(2)), "SLA breached " + i);
        }
        cta(beta, "b", "OPENED", false, due.minus(Duration.ofDays(3)), "5 open support tickets");
        cta(beta, "b", "ESCALATED", true, due.minus(Duration.ofDays(1)), "5 open support tickets");
        cta(gamma, "c", "OPENED", false, due.minus(Duration.ofDays(4)), "renewal in 30 days");
        cta(gamma, "c", "CLOSED", false, due.minus(Duration.ofDays(3)), "renewal in 30 days");
        // A change older than the close, arriving after it, does not reopen the CTA.
        cta(gamma, "c", "UPDATED", false, due.minus(Duration.ofDays(4)).plusSeconds(60), "renewal in 30 days");
        cta(gamma, "old", "OPENED", false, due.minus(Duration.ofDays(9)), "usage dropped");
        cta(test, "t", "OPENED", true, due.minus(Duration.ofDays(2)), "benchmark escalation");
        await().atMost(WAIT).until(() -> summary(exec).getInt("openEscalations") == before.getInt("openEscalations") + 4
                && summary(exec).getInt("ctasClosed") == before.getInt("ctasClosed") + 1);
        JsonPath after = summary(exec);
        assertThat(after.getInt("escalationsRaised")).isEqualTo(before.getInt("escalationsRaised") + 4);
        assertThat(after.getInt("ctasOpened")).isEqualTo(before.getInt("ctasOpened") + 5);
        assertThat(new BigDecimal(after.getString("arrAtRisk")).subtract(new BigDecimal(before.getString("arrAtRisk"))))
                .isEqualByComparingTo("1700000000");

        assertThat(job.run()).isEqualTo(1);
        assertThat(job.run()).as("one summary a week").isZero();
        // (Other tests' deliveries fall due too when the clock moves days on; the dispatcher sends them all.)
        await().atMost(WAIT).until(() -> dispatcher.drain(Channel.EMAIL) >= 0 && summaries().size() == 1);
        List<MimeMessage> summaries = summaries();
        MimeMessage mail = summaries.get(0);
        assertThat(Mails.subject(mail)).isEqualTo("Beacon weekly summary, week to " + monday.toLocalDate() + ": "
                + after.getInt("openEscalations") + " open escalations, " + money(after.getString("arrAtRisk")) + " ARR at risk");
        DateTimeFormatter day = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
        String text = Mails.text(mail);
        assertThat(text).contains(
                "Beacon weekly summary — " + day.format(monday.minusWeeks(1)) + " – " + day.format(monday.minusDays(1))
                        + " (Asia/Kolkata)",
                "Open escalations: " + after.getInt("openEscalations"),
                "This week: " + after.getInt("escalationsRaised") + " escalated, " + after.getInt("ctasOpened")
                        + " CTAs opened, " + after.getInt("ctasClosed") + " CTAs closed.",
                "1. Alpha " + run + " (JUPITER, $900,000,000) — HIGH: SLA breached",
                "4. Beta " + run + " (VENUS, $800,000,000) — HIGH: 5 open support tickets",
                "1. Alpha " + run + " (JUPITER, $900,000,000): 3 open escalations, 3 open CTAs, health RED",
                "http://localhost:8085/#/accounts/" + alpha,
                "because you are on Beacon's executive escalation list");
        assertThat(text).doesNotContain("Benchmark " + run, "Gamma " + run + " (MARS, $700,000,000) — ");

        // The next day nothing more; the next Monday at 08:00 the next week's.
        TestClock.INSTANCE.advance(Duration.ofDays(1));
        assertThat(job.run()).isZero();
        TestClock.INSTANCE.advance(Duration.ofDays(6));
        assertThat(job.run()).isEqualTo(1);
        await().atMost(WAIT).until(() -> dispatcher.drain(Channel.EMAIL) >= 0 && summaries().size() == 2);
    }

    @Test
    void anEscalationOnAnAccountNotDescribedYetIsListedWithWhatIsKnown() {
        Instant due = Instant.parse("2026-11-30T02:30:00Z");
        WeeklySummary summary = new WeeklySummary(java.time.LocalDate.parse("2026-11-30"), "Asia/Kolkata",
                due.minus(Duration.ofDays(7)), due, due, 1, BigDecimal.ZERO, 1, 1, 0,
                List.of(new WeeklySummary.SegmentRisk("UNKNOWN", 1, 1, BigDecimal.ZERO)),
                List.of(new WeeklySummary.Escalation("cta-1", "acct-new", "acct-new", "UNKNOWN", null, "SLA breached", "HIGH",
                        null, due.minus(Duration.ofDays(1)), "http://localhost:8085/#/accounts/acct-new")),
                List.of(new WeeklySummary.Attention("acct-x", "X Co", "MARS", null, null, 0, 1, "http://x")), "http://d");
        io.beacon.notify.content.Renderer.Email mail = renderer.summaryEmail(summary, "why");
        assertThat(mail.subject()).isEqualTo("Beacon weekly summary, week to 2026-11-30: 1 open escalation, $0 ARR at risk");
        assertThat(mail.text()).contains("Mon 23 Nov 2026 – Sun 29 Nov 2026 (Asia/Kolkata)",
                "1. acct-new (UNKNOWN, –) — HIGH: SLA breached", "CSM none, escalated Sun 29 Nov 2026",
                "1. X Co (MARS, –): 0 open escalations, 1 open CTA\n");
        assertThat(mail.html()).contains("<a href=\"http://localhost:8085/#/accounts/acct-new\">acct-new</a>");
    }

    @Test
    void aSummaryThatFellDueLongerAgoThanTheCatchUpIsSkipped_andAnUnknownTimeZoneIsRefused() {
        // Tuesday 12:00 UTC: Monday 08:00 UTC (the default zone) is more than a day ago.
        ZonedDateTime tuesday = ZonedDateTime.now(TestClock.INSTANCE).withZoneSameInstant(ZoneId.of("UTC"))
                .with(TemporalAdjusters.next(DayOfWeek.TUESDAY)).with(LocalTime.NOON);
        TestClock.INSTANCE.advance(Duration.between(TestClock.INSTANCE.instant(), tuesday.toInstant()));
        int sent = summaries().size();
        // (The list's time zone may have been set by another test; it is put back to UTC here.)
        String exec = infra.tokens().issue(Roles.EXEC, "erin-" + Fixtures.id("x"), Duration.ofMinutes(10),
                Map.of("email", EXEC));
        given().auth().oauth2(exec).contentType("application/json").body("{\"timeZone\":\"UTC\",\"digestAt\":\"08:00\"}")
                .when().put("/api/v1/preferences").then().statusCode(200);
        assertThat(job.run()).isZero();
        assertThat(summaries()).hasSize(sent);

        given().auth().oauth2(exec).queryParam("timeZone", "Mars/Olympus_Mons").when().get("/api/v1/weekly-summary")
                .then().statusCode(400).body("errors[0].field", equalTo("timeZone"));
        given().auth().oauth2(infra.token(Roles.CSM, Fixtures.id("csm"))).when().get("/api/v1/weekly-summary")
                .then().statusCode(403);
    }

    private JsonPath summary(String token) {
        return given().auth().oauth2(token).queryParam("timeZone", "Asia/Kolkata").when().get("/api/v1/weekly-summary")
                .then().statusCode(200).extract().jsonPath();
    }

    private List<MimeMessage> summaries() {
        return infra.mail().receivedBy(EXEC).stream()
                .filter(m -> Mails.subject(m).startsWith("Beacon weekly summary")).toList();
    }

    private static String money(String amount) {
        return java.text.NumberFormat.getCurrencyInstance(Locale.US)
                .format(new BigDecimal(amount).setScale(0, java.math.RoundingMode.HALF_UP)).replace(".00", "");
    }

    private void account(String id, String name, String segment, String arr, String health, boolean test) {
        infra.send(Topics.ACCOUNTS_SNAPSHOTS, id, """
                {"accountId":"%s","name":"%s","employees":5000,"segment":"%s","arr":%s,"version":1,
                 "health":{"score":40,"color":"%s","measures":[]},"test":%s,
                 "csm":{"id":"csm-%s","name":"Wes Kly","email":"wes@customers.example","team":"Weekly-1"}}
                """.formatted(id, name, segment, arr, health, test, id));
        await().atMost(WAIT).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> io.beacon.accountview.AccountView.findById(id) != null));
    }

    private void cta(String account, String cta, String kind, boolean escalated, Instant at, String reason) {
        infra.send(Topics.CTAS_EVENTS, account, """
                {"eventId":"%s","ctaId":"%s","kind":"%s","occurredAt":"%s","accountId":"%s","type":"RISK",
                 "reason":"%s","priority":"HIGH","escalated":%s,"ownerCsmId":"csm-%s",
                 "rule":{"ruleset":"support","version":3,"rule":"WeeklyTest"},"explanation":{"n":1}}
                """.formatted(Fixtures.id("ev"), account + "-" + cta, kind, at, account, reason, escalated, account));
    }
}
