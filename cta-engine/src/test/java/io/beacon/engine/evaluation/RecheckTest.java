package io.beacon.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.beacon.contracts.Segment;
import io.beacon.contracts.TicketEvent;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.RuleFailureTest;
import io.beacon.engine.rules.Ruleset;
import io.beacon.localstack.testing.BeaconInfraResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * A rule that asks for its account to be evaluated again ({@code decisions.recheckOn}) is heard by
 * the live engine: the request is stored with the account's clock, so the schedule picks the account
 * up at that instant although nothing is open on it — and without the request it never would.
 */
@QuarkusTest
@QuarkusTestResource(BeaconInfraResource.class)
@TestProfile(RuleFailureTest.OwnRuleset.class)
class RecheckTest {

    /** Raises a reminder 90 days before renewal; until then, asks to be looked at again on that day. */
    static final String REMINDER = """
            package io.beacon.rules.reminder;
            import io.beacon.engine.rules.model.*;
            global Decisions decisions;

            rule "RenewalReminder"
            when
                $account : AccountFact( renewalDate != null )
                $time : EvaluationTime()
                eval( $time.daysUntil($account.getRenewalDate()) <= 90 )
            then
                decisions.raise("LIFECYCLE", "renewal-reminder", drools.getRule().getName());
            end

            rule "RenewalReminderLater"
            when
                $account : AccountFact( renewalDate != null )
                $time : EvaluationTime()
                eval( $time.daysUntil($account.getRenewalDate()) > 90 )
            then
                decisions.recheckOn($account.getRenewalDate().minusDays(90));
            end
            """;

    private static final Instant START = Instant.now().plus(Duration.ofDays(900)).truncatedTo(ChronoUnit.DAYS);

    @Inject
    ActiveRuleset active;

    @Inject
    EvaluationService evaluation;

    @Inject
    ReevaluationJob job;

    @Inject
    EntityManager em;

    @AfterEach
    void restoreDefaultRules() {
        assertThat(active.activate(ActiveRuleset.fromClasspath()).ok()).isTrue();
    }

    @Test
    void aQuietAccountIsEvaluatedAgainWhenItsRulesAskedAndNotBefore() {
        Ruleset defaults = ActiveRuleset.fromClasspath();
        Map<String, String> files = new LinkedHashMap<>(defaults.files());
        files.put("reminder.drl", REMINDER);
        assertThat(active.activate(new Ruleset("reminder", 98, files, defaults.params())).ok()).isTrue();

        LocalDate renewal = LocalDate.ofInstant(START, ZoneOffset.UTC).plusDays(200);
        Instant asked = renewal.minusDays(90).atStartOfDay(ZoneOffset.UTC).toInstant();
        AccountState.Account account = new AccountState.Account("recheck-" + UUID.randomUUID(), Segment.MARS,
                "csm-r", "team", BigDecimal.TEN, renewal);
        QuarkusTransaction.requiringNew().run(() -> DatabaseHistoryTest.store(account));
        // One ticket opened and solved: afterwards nothing is open on the account.
        QuarkusTransaction.requiringNew().run(() -> evaluation.apply(List.of(
                event(account, "e1", TicketEvent.Status.OPEN, START),
                event(account, "e2", TicketEvent.Status.SOLVED, START.plus(Duration.ofHours(1))))));
        assertThat(nextDue(account)).as("the instant the rules asked for").isEqualTo(asked);

        job.run(asked.minusSeconds(1));
        assertThat(reminders(account)).as("nothing before the instant").isEmpty();

        assertThat(job.run(asked.plus(Duration.ofDays(1)))).contains(account.id());
        assertThat(reminders(account)).singleElement()
                .satisfies(cta -> assertThat(cta.openedAt).isEqualTo(asked));
    }

    private List<Cta> reminders(AccountState.Account account) {
        return QuarkusTransaction.requiringNew().call(() -> Cta.<Cta>list("accountId = ?1 and reason = ?2",
                account.id(), "renewal-reminder"));
    }

    private Instant nextDue(AccountState.Account account) {
        return QuarkusTransaction.requiringNew().call(() -> ((Instant) em
                .createNativeQuery("SELECT next_due_at FROM account_clock WHERE account_id = ?1")
                .setParameter(1, account.id()).getSingleResult()));
    }

    private static TimedEvent event(AccountState.Account account, String id, TicketEvent.Status status, Instant at) {
        TicketEvent event = new TicketEvent(id + "-" + account.id(), TicketEvent.Source.API, TicketEvent.Type.UPDATED, at,
                account.id(), new TicketEvent.Ticket("T1", status, TicketEvent.Priority.NORMAL, TicketEvent.Kind.QUESTION,
                        null, List.of(), null, null, START, at, null));
        return new TimedEvent(event, at);
    }
}
