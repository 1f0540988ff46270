package io.beacon.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Segment;
import io.beacon.contracts.TicketEvent;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.RuleCompiler;
import io.beacon.engine.rules.Ruleset;
import io.beacon.engine.rules.SeededRules;

/** Time-based changes happen at the instant they are due, in event time, with the default rules. */
class TimelineTest {

    private static final Instant T0 = Instant.parse("2026-05-04T10:15:00Z");
    private static ActiveRuleset.Compiled rules;

    private final AccountState.Account account = new AccountState.Account("acct-t", Segment.MARS, "csm-1", "team",
            null, null);

    @BeforeAll
    static void compileDefaultRules() {
        rules = SeededRules.compiled();
    }

    @Test
    void aResolutionDeadlinePassingWithTheTicketOpenIsABreachAtThatInstant() {
        Instant due = T0.plus(Duration.ofHours(4));
        AccountState state = AccountState.empty(account.id(), account);
        List<CtaChange> changes = new ArrayList<>();
        Timeline timeline = timeline();
        timeline.apply(state, event("e1", "T1", TicketEvent.Status.OPEN, T0, due), T0, changes);
        assertThat(changes).isEmpty();
        assertThat(Timeline.nextDue(state)).isEqualTo(due);

        timeline.advanceThrough(state, T0.plus(Duration.ofHours(5)), changes);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.event().kind()).isEqualTo(CtaEvent.Kind.OPENED);
            assertThat(c.event().reason()).isEqualTo("sla-breach");
            assertThat(c.event().occurredAt()).isEqualTo(due);
        });
    }

    @Test
    void aSupportRiskCtaEscalatesFourteenDaysAfterItOpenedNotWhenTheNextEventComes() {
        AccountState state = AccountState.empty(account.id(), account);
        List<CtaChange> changes = new ArrayList<>();
        Timeline timeline = timeline();
        for (int i = 1; i <= 5; i++) {
            Instant at = T0.plusSeconds(i);
            timeline.apply(state, event("e" + i, "T" + i, TicketEvent.Status.OPEN, at, null), at, changes);
        }
        Instant opened = T0.plusSeconds(5);
        assertThat(changes).extracting(c -> c.event().kind()).containsExactly(CtaEvent.Kind.OPENED);

        // The next event comes 20 days later; the escalation is dated when it fell due.
        Instant later = opened.plus(Duration.ofDays(20));
        timeline.apply(state, event("e6", "T6", TicketEvent.Status.OPEN, later, null), later, changes);
        CtaChange escalation = changes.stream().filter(c -> c.event().kind() == CtaEvent.Kind.ESCALATED).findFirst()
                .orElseThrow();
        assertThat(escalation.event().occurredAt()).isEqualTo(opened.plus(Duration.ofDays(14)));
        assertThat(escalation.event().explanation()).containsEntry("openForDays", 14L);
    }

    @Test
    void aLateCopyOlderThanTheAccountsClockIsEvaluatedAtTheClock() {
        AccountState state = AccountState.empty(account.id(), account);
        List<CtaChange> changes = new ArrayList<>();
        Timeline timeline = timeline();
        timeline.apply(state, event("e1", "T1", TicketEvent.Status.OPEN, T0, null), T0, changes);
        Instant earlier = T0.minus(Duration.ofHours(3));
        assertThat(timeline.apply(state, event("e2", "T2", TicketEvent.Status.OPEN, earlier, null), earlier, changes))
                .isTrue();
        assertThat(state.clock()).isEqualTo(T0);
    }

    @Test
    void aRecheckRequestHoldsUntilTheNextEvaluationWhichStatesItsOwn() {
        Ruleset defaults = ActiveRuleset.fromDirectory(SeededRules.DIRECTORY);
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>(defaults.files());
        files.put("reminder.drl", RecheckTest.REMINDER);
        ActiveRuleset.Compiled reminder = new ActiveRuleset.Compiled(defaults,
                new RuleCompiler().compile(files).kieBase(), "test");
        java.time.LocalDate renewal = java.time.LocalDate.of(2026, 12, 1);
        AccountState.Account renewing = new AccountState.Account("acct-t", Segment.MARS, "csm-1", "team", null, renewal);
        AccountState state = AccountState.empty(renewing.id(), renewing);
        List<CtaChange> changes = new ArrayList<>();
        Timeline timeline = new Timeline(reminder, new CtaReconciler(new ObjectMapper().findAndRegisterModules()), 200,
                (s, r, rule, message) -> {
                    throw new AssertionError(message);
                });
        Instant asked = Instant.parse("2026-09-02T00:00:00Z");
        timeline.apply(state, event("e1", "T1", TicketEvent.Status.SOLVED, T0, null), T0, changes);
        assertThat(state.recheckAt()).isEqualTo(asked);
        assertThat(Timeline.nextDue(state)).as("nothing open, yet due when the rules asked").isEqualTo(asked);

        timeline.advanceThrough(state, asked, changes);
        assertThat(changes).singleElement().satisfies(c -> assertThat(c.event().occurredAt()).isEqualTo(asked));
        // At the instant itself the rule no longer asks: the request is gone, the CTA's own schedule remains.
        assertThat(state.recheckAt()).isNull();
        assertThat(Timeline.nextDue(state)).isEqualTo(asked.plus(Duration.ofDays(1)));
    }

    @Test
    void aRecheckFurtherAheadThanACtaMayBeDueIsARuleFailureNotAStoredInstant() {
        Ruleset defaults = ActiveRuleset.fromDirectory(SeededRules.DIRECTORY);
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>(defaults.files());
        files.put("far.drl", """
                package io.beacon.rules.far;
                import io.beacon.engine.rules.model.*;
                global Decisions decisions;
                rule "Forever"
                when
                    AccountFact()
                then
                    decisions.recheckAt(java.time.Instant.MAX);
                end
                """);
        ActiveRuleset.Compiled far = new ActiveRuleset.Compiled(defaults, new RuleCompiler().compile(files).kieBase(), "test");
        List<String> failures = new ArrayList<>();
        Timeline timeline = new Timeline(far, new CtaReconciler(new ObjectMapper().findAndRegisterModules()), 200,
                (s, r, rule, message) -> failures.add(message));
        AccountState state = AccountState.empty(account.id(), account);
        List<CtaChange> changes = new ArrayList<>();
        timeline.apply(state, event("e1", "T1", TicketEvent.Status.OPEN, T0, null), T0, changes);
        assertThat(failures).singleElement().asString().contains("more than 3650 days after the evaluation");
        assertThat(state.recheckAt()).isNull();
        // The clock and the ticket are kept: the account goes on with its other due instants.
        assertThat(Timeline.nextDue(state)).isEqualTo(Instant.parse("2026-05-05T00:00:00Z"));
    }

    @Test
    void onlyTheEarliestRequestAfterTheEvaluationsInstantCounts() {
        io.beacon.engine.rules.model.Decisions decisions = new io.beacon.engine.rules.model.Decisions();
        decisions.recheckAt(T0.minusSeconds(60));
        decisions.recheckAt(T0);
        decisions.recheckAt(T0.plus(Duration.ofDays(3)));
        decisions.recheckOn(java.time.LocalDate.of(2026, 5, 6));
        decisions.recheckAt(null);
        assertThat(decisions.recheckAfter(T0)).isEqualTo(Instant.parse("2026-05-06T00:00:00Z"));
        assertThat(decisions.recheckAfter(T0.plus(Duration.ofDays(5)))).isNull();
    }

    private Timeline timeline() {
        return new Timeline(rules, new CtaReconciler(new ObjectMapper().findAndRegisterModules()), 200,
                (s, r, rule, message) -> {
                    throw new AssertionError(message);
                });
    }

    private TicketEvent event(String id, String ticket, TicketEvent.Status status, Instant at, Instant resolutionDue) {
        return new TicketEvent(id, TicketEvent.Source.API, TicketEvent.Type.UPDATED, at, account.id(),
                new TicketEvent.Ticket(ticket, status, TicketEvent.Priority.NORMAL, TicketEvent.Kind.QUESTION, null,
                        List.of(), null, null, at.minus(Duration.ofDays(40)), at,
                        resolutionDue == null ? null : new TicketEvent.Sla(null, resolutionDue, false)));
    }

}
