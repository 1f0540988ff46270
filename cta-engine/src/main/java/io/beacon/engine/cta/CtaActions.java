package io.beacon.engine.cta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.beacon.contracts.CtaEvent;
import io.beacon.engine.evaluation.EvaluationService;
import io.beacon.platform.errors.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** What a CSM does with a CTA: snooze it, close it with a reason, reopen it. */
@ApplicationScoped
public class CtaActions {

    public enum CloseReason {
        DONE, NOT_RELEVANT
    }

    static final Duration MAX_SNOOZE = Duration.ofDays(90);

    private final CtaService ctas;
    private final EvaluationService evaluation;
    private final EntityManager em;
    private final Clock clock;

    CtaActions(CtaService ctas, EvaluationService evaluation, EntityManager em, Clock clock) {
        this.ctas = ctas;
        this.evaluation = evaluation;
        this.em = em;
        this.clock = clock;
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

    /** The CTA, with its account locked against evaluations for the rest of the transaction. */
    private Cta load(String id) {
        Cta cta = Cta.findById(id);
        if (cta == null) {
            throw Refusal.notFound("No CTA with id '" + id + "'.");
        }
        evaluation.lockAccounts(List.of(cta.accountId));
        em.refresh(cta);
        return cta;
    }

}
