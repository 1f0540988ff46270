package io.beacon.engine.cta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.accounts.CsmDirectory;
import io.beacon.engine.evaluation.EvaluationService;
import io.beacon.platform.errors.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * What a CSM does with a CTA: snooze it, close it with a reason, reopen it, give it to another CSM,
 * write notes, tick off its playbook tasks, and raise one by hand.
 */
@ApplicationScoped
public class CtaActions {

    public enum CloseReason {
        DONE, NOT_RELEVANT
    }

    static final Duration MAX_SNOOZE = Duration.ofDays(90);

    static final Duration MAX_MANUAL_DUE = Duration.ofDays(365);
    static final Duration DEFAULT_MANUAL_DUE = Duration.ofDays(7);
    public static final String MANUAL_RULESET = "manual";

    private final CtaService ctas;
    private final EvaluationService evaluation;
    private final EntityManager em;
    private final Clock clock;
    private final CsmDirectory directory;
    private final PlaybookTasks playbooks;
    private final ObjectMapper json;

    CtaActions(CtaService ctas, EvaluationService evaluation, EntityManager em, Clock clock, CsmDirectory directory,
            PlaybookTasks playbooks, ObjectMapper json) {
        this.ctas = ctas;
        this.evaluation = evaluation;
        this.em = em;
        this.clock = clock;
        this.directory = directory;
        this.playbooks = playbooks;
        this.json = json;
    }

    /** What a person asks for when raising a CTA by hand. */
    public record Manual(String accountId, CtaEvent.CtaType type, String reason, CtaEvent.Priority priority,
            Instant dueAt, String note) {
    }

    /**
     * Raises a CTA by hand for the account's CSM ({@code owner}: whom it is for). Rules never update or
     * clear it; it gets its playbook's tasks like any other, and the note if one was given.
     */
    @Transactional
    public Cta raise(Manual request, String owner, String actor) {
        evaluation.lockAccounts(List.of(request.accountId()));
        Instant now = clock.instant();
        Instant due = request.dueAt() == null ? now.plus(DEFAULT_MANUAL_DUE) : request.dueAt();
        if (!due.isAfter(now) || due.isAfter(now.plus(MAX_MANUAL_DUE))) {
            throw Refusal.invalid("dueAt", "'dueAt' must lie in the future and at most " + MAX_MANUAL_DUE.toDays()
                    + " days ahead.");
        }
        Cta cta = new Cta();
        cta.id = UUID.randomUUID().toString();
        cta.origin = Cta.MANUAL;
        cta.accountId = request.accountId();
        cta.type = request.type().name();
        cta.reason = request.reason().strip();
        cta.priority = request.priority().name();
        cta.status = Cta.OPEN;
        cta.ownerCsmId = owner;
        cta.openedAt = now;
        cta.updatedAt = now;
        cta.dueAt = due;
        cta.ruleset = MANUAL_RULESET;
        cta.rulesetVersion = 0;
        cta.ruleName = "raised by " + actor;
        cta.explanation = write(Map.of("raisedBy", actor));
        cta.persist();
        playbooks.attach(cta);
        if (request.note() != null && !request.note().isBlank()) {
            note(cta, request.note(), actor, now);
        }
        ctas.publish(cta, CtaEvent.Kind.OPENED, now, actor);
        return cta;
    }

    /** Gives the CTA to another CSM the engine knows; the change is audited and announced to the new owner. */
    @Transactional
    public Cta reassign(String id, String to, String comment, String actor) {
        Cta cta = load(id);
        if (Cta.CLOSED.equals(cta.status)) {
            throw Refusal.conflict("The CTA is closed; reopen it before giving it to someone else.");
        }
        if (to == null || directory.find(to).isEmpty()) {
            throw Refusal.invalid("to", "'to' must be the id of a CSM Beacon knows (see GET /api/v1/csms).");
        }
        if (to.equals(cta.ownerCsmId)) {
            throw Refusal.conflict("The CTA already belongs to " + to + ".");
        }
        Instant now = clock.instant();
        CtaAssignment audit = new CtaAssignment();
        audit.ctaId = cta.id;
        audit.fromCsm = cta.ownerCsmId;
        audit.toCsm = to;
        audit.actor = actor;
        audit.comment = comment == null || comment.isBlank() ? null : comment.strip();
        audit.at = now;
        audit.persist();
        cta.ownerCsmId = to;
        cta.updatedAt = now;
        ctas.publish(cta, CtaEvent.Kind.REASSIGNED, now, actor);
        return cta;
    }

    @Transactional
    public CtaNote note(String id, String body, String actor) {
        return note(existing(id), body, actor, clock.instant());
    }

    private CtaNote note(Cta cta, String body, String actor, Instant at) {
        CtaNote note = new CtaNote();
        note.ctaId = cta.id;
        note.author = actor;
        note.body = body.strip();
        note.createdAt = at;
        note.persist();
        return note;
    }

    /** Ticks a playbook task off (or on again). */
    @Transactional
    public CtaTask task(String id, int position, boolean done, String actor) {
        Cta cta = existing(id);
        if (Cta.CLOSED.equals(cta.status)) {
            throw Refusal.conflict("The CTA is closed; its tasks can no longer change.");
        }
        CtaTask task = CtaTask.findById(new CtaTask.Key(id, position));
        if (task == null) {
            throw Refusal.notFound("The CTA has no task " + position + ".");
        }
        if (done && task.doneAt == null) {
            task.doneAt = clock.instant();
            task.doneBy = actor;
        } else if (!done) {
            task.doneAt = null;
            task.doneBy = null;
        }
        return task;
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public Cta snooze(String id, Instant until, String actor) {
        Cta cta = load(id);
        Instant now = clock.instant();
        if (Cta.CLOSED.equals(cta.status)) {
            throw Refusal.conflict("The CTA is closed; reopen it before snoozing.");
        }
        if (until == null || !until.isAfter(now) || until.isAfter(now.plus(MAX_SNOOZE))) {
            throw Refusal.invalid("until", "'until' must lie in the future and at most " + MAX_SNOOZE.toDays()
                    + " days ahead.");
        }
        cta.status = Cta.SNOOZED;
        cta.snoozedUntil = until;
        cta.updatedAt = now;
        ctas.publish(cta, CtaEvent.Kind.SNOOZED, now, actor);
        return cta;
    }

    @Transactional
    public Cta close(String id, CloseReason reason, String comment, String actor) {
        Cta cta = load(id);
        if (Cta.CLOSED.equals(cta.status)) {
            throw Refusal.conflict("The CTA is already closed (" + cta.closeReason + ").");
        }
        if (reason == null) {
            throw Refusal.invalid("reason", "'reason' is required: DONE or NOT_RELEVANT.");
        }
        Instant now = clock.instant();
        cta.status = Cta.CLOSED;
        cta.closeReason = reason.name().toLowerCase().replace('_', ' ');
        cta.closeComment = comment;
        cta.closedAt = now;
        cta.snoozedUntil = null;
        cta.updatedAt = now;
        ctas.publish(cta, CtaEvent.Kind.CLOSED, now, actor);
        return cta;
    }

    @Transactional
    public Cta reopen(String id, String actor) {
        Cta cta = load(id);
        if (!Cta.CLOSED.equals(cta.status)) {
            throw Refusal.conflict("Only a closed CTA can be reopened; this one is " + cta.status + ".");
        }
        boolean another = Cta.count("accountId = ?1 and type = ?2 and reason = ?3 and status <> ?4 and id <> ?5",
                cta.accountId, cta.type, cta.reason, Cta.CLOSED, cta.id) > 0;
        if (another) {
            throw Refusal.conflict("The account already has an open CTA for " + cta.reason + ".");
        }
        Instant now = clock.instant();
        cta.status = Cta.OPEN;
        cta.closeReason = null;
        cta.closeComment = null;
        cta.closedAt = null;
        cta.updatedAt = now;
        ctas.publish(cta, CtaEvent.Kind.REOPENED, now, actor);
        return cta;
    }

    /** Ends a snooze early: the CTA is open again now (a REOPENED change, as when a closed one is reopened). */
    @Transactional
    public Cta unsnooze(String id, String actor) {
        Cta cta = load(id);
        if (!Cta.SNOOZED.equals(cta.status)) {
            throw Refusal.conflict("Only a snoozed CTA can be woken; this one is " + cta.status + ".");
        }
        Instant now = clock.instant();
        cta.status = Cta.OPEN;
        cta.snoozedUntil = null;
        cta.updatedAt = now;
        ctas.publish(cta, CtaEvent.Kind.REOPENED, now, actor);
        return cta;
    }

    private static Cta existing(String id) {
        Cta cta = Cta.findById(id);
        if (cta == null) {
            throw Refusal.notFound("No CTA with id '" + id + "'.");
        }
        return cta;
    }

    /** The CTA, with its account locked against evaluations for the rest of the transaction. */
    private Cta load(String id) {
        Cta cta = existing(id);
        evaluation.lockAccounts(List.of(cta.accountId));
        em.refresh(cta);
        return cta;
    }

}
