package io.beacon.engine.commands;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.ContractChecks;
import io.beacon.contracts.CtaCommand;
import io.beacon.contracts.Topics;
import io.beacon.engine.accounts.CsmDirectory;
import io.beacon.engine.cta.Cta;
import io.beacon.engine.cta.CtaActions;
import io.beacon.platform.errors.Refusal;
import io.beacon.platform.kafka.DeadLetters;
import io.beacon.platform.kafka.RecordChecks;
import io.beacon.platform.tx.DatabaseProbe;
import io.beacon.platform.tx.Failures;
import io.beacon.platform.tx.Jdbc;
import io.beacon.platform.tx.UntilCommitted;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Applies {@link CtaCommand}s from {@code ctas.commands} — a CSM's click in a chat message — with the
 * same rules as the CTA API: only the CTA's owner or the lead of the owner's team may act, a closed
 * CTA is not snoozed or closed again. A command id is applied once. A record that is not a usable
 * command, or a command refused, goes to {@code ctas.commands.dlq} with the reason; a database outage
 * is waited out.
 */
@ApplicationScoped
public class CtaCommandConsumer {

    public static final String CHANNEL = "commands-in";
    public static final String DLQ_CHANNEL = "commands-dlq";
    private static final Logger LOG = Logger.getLogger(CtaCommandConsumer.class);

    private final MutinyEmitter<byte[]> deadLetters;
    private final DatabaseProbe database;
    private final ObjectMapper json;
    private final CtaActions actions;
    private final CsmDirectory directory;
    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry registry;

    CtaCommandConsumer(@Channel(DLQ_CHANNEL) MutinyEmitter<byte[]> deadLetters, DatabaseProbe database, ObjectMapper json,
            CtaActions actions, CsmDirectory directory, EntityManager em, Clock clock, MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.database = database;
        this.json = json;
        this.actions = actions;
        this.directory = directory;
        this.em = em;
        this.clock = clock;
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, CtaCommand> record) throws InterruptedException {
        String problem = RecordChecks.problem(record, "CTA command", ContractChecks::ctaCommand, CtaCommand::ctaId);
        if (problem != null) {
            count("unusable");
            deadLetter(record, problem);
            return;
        }
        CtaCommand command = record.value();
        UntilCommitted.Outcome<Boolean> outcome = UntilCommitted.callUnlessPermanent("CTA command " + command.commandId(),
                () -> apply(command), () -> {
                }, database::reachable);
        if (!outcome.stored()) {
            count("refused");
            String reason = outcome.permanentFailure() instanceof Refusal refusal ? "refused: " + refusal.getMessage()
                    : "the database refused the command: " + Failures.rootMessage(outcome.permanentFailure());
            LOG.infof("CTA command %s (%s on %s by %s) not applied: %s", command.commandId(), command.action(),
                    command.ctaId(), command.actor(), reason);
            deadLetter(record, reason);
            return;
        }
        count(Boolean.TRUE.equals(outcome.value()) ? "applied" : "duplicate");
    }

    /** @return false when the command was applied before */
    private boolean apply(CtaCommand command) {
        int fresh = Jdbc.update(em, """
                INSERT INTO cta_command (command_id, cta_id, action, actor, via, applied_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (command_id) DO NOTHING""", command.commandId(), command.ctaId(), command.action().name(),
                command.actor(), command.via(), Timestamp.from(clock.instant()));
        if (fresh == 0) {
            return false;
        }
        Cta cta = Cta.findById(command.ctaId());
        if (cta == null) {
            throw Refusal.notFound("there is no CTA '" + command.ctaId() + "'");
        }
        if (!mayAct(command.actor(), cta.ownerCsmId)) {
            throw Refusal.conflict(command.actor() + " neither owns the CTA nor leads its owner's team");
        }
        switch (command.action()) {
            case SNOOZE -> actions.snooze(cta.id, command.until(), command.actor());
            case CLOSE_NOT_RELEVANT -> actions.close(cta.id, CtaActions.CloseReason.NOT_RELEVANT,
                    "closed from " + via(command), command.actor());
            case CLOSE_DONE -> actions.close(cta.id, CtaActions.CloseReason.DONE, "closed from " + via(command),
                    command.actor());
        }
        return true;
    }

    private boolean mayAct(String actor, String owner) {
        if (actor.equals(owner)) {
            return true;
        }
        Optional<String> team = owner == null ? Optional.empty() : directory.find(owner).map(entry -> entry.team);
        return team.isPresent() && directory.teamsLedBy(actor).contains(team.get());
    }

    private static String via(CtaCommand command) {
        return command.via() == null ? "outside the console" : command.via();
    }

    private void count(String outcome) {
        registry.counter("beacon.engine.commands", "outcome", outcome).increment();
    }

    private void deadLetter(ConsumerRecord<String, CtaCommand> record, String reason) {
        deadLetters.sendMessage(DeadLetters.message(record, Topics.CTAS_COMMANDS_DLQ, reason,
                DeadLetters.asJson(json, record))).await().atMost(Duration.ofSeconds(30));
    }
}
