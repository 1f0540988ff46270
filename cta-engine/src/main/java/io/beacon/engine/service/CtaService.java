package io.beacon.engine.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Topics;
import io.beacon.engine.domain.AccountView;
import io.beacon.engine.domain.Cta;
import io.beacon.engine.rules.Ruleset;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.platform.outbox.Outbox;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Turns rule decisions into CTA changes: one CTA per (account, type, reason) that is not closed; a
 * rule firing again updates it; a cleared condition closes it. Each change queues its CtaEvent in
 * the outbox in the same transaction.
 */
@ApplicationScoped
public class CtaService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Outbox outbox;
    private final ObjectMapper json;

    CtaService(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public List<Cta> notClosed(String accountId) {
        return Cta.list("accountId = ?1 and status <> ?2", accountId, Cta.CLOSED);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(AccountView account, List<Decisions.Decision> decisions, Ruleset ruleset) {
        Instant now = Instant.now();
        for (Decisions.Decision decision : decisions) {
            Cta existing = Cta.find("accountId = ?1 and type = ?2 and reason = ?3 and status <> ?4",
                    account.accountId, decision.type(), decision.reason(), Cta.CLOSED).firstResult();
            if (decision.kind() == Decisions.Kind.RAISE) {
                raise(account, decision, ruleset, existing, now);
            } else if (existing != null) {
                existing.status = Cta.CLOSED;
                existing.closeReason = decision.closeReason();
                existing.closedAt = now;
                existing.updatedAt = now;
                stamp(existing, decision, ruleset);
                publish(existing, CtaEvent.Kind.CLOSED, now);
            }
        }
    }

    private void raise(AccountView account, Decisions.Decision decision, Ruleset ruleset, Cta existing, Instant now) {
        if (existing == null) {
            Cta cta = new Cta();
            cta.id = UUID.randomUUID().toString();
            cta.accountId = account.accountId;
            cta.type = decision.type();
            cta.reason = decision.reason();
            cta.status = Cta.OPEN;
            cta.ownerCsmId = account.csmId;
            cta.openedAt = now;
            cta.updatedAt = now;
            cta.dueAt = now.plus(Duration.ofDays(decision.dueInDays()));
            cta.priority = decision.priority();
            cta.escalated = decision.escalated();
            stamp(cta, decision, ruleset);
            cta.persist();
            publish(cta, CtaEvent.Kind.OPENED, now);
            return;
        }
        if (Cta.SNOOZED.equals(existing.status)) {
            return;
        }
        String explanation = write(decision.explanation());
        boolean escalates = decision.escalated() && !existing.escalated;
        if (explanation.equals(existing.explanation) && decision.priority().equals(existing.priority) && !escalates) {
            return;
        }
        existing.priority = decision.priority();
        existing.escalated |= decision.escalated();
        existing.updatedAt = now;
        stamp(existing, decision, ruleset);
        publish(existing, escalates ? CtaEvent.Kind.ESCALATED : CtaEvent.Kind.UPDATED, now);
    }

    private void stamp(Cta cta, Decisions.Decision decision, Ruleset ruleset) {
        cta.ruleset = ruleset.name();
        cta.rulesetVersion = ruleset.version();
        cta.ruleName = decision.rule();
        cta.explanation = write(decision.explanation());
    }

    @Transactional
    public List<Cta> find(String accountId, String status, Boolean escalated, String owner) {
        StringBuilder query = new StringBuilder("1 = 1");
        io.quarkus.panache.common.Parameters params = new io.quarkus.panache.common.Parameters();
        if (accountId != null) {
            query.append(" and accountId = :account");
            params.and("account", accountId);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (escalated != null) {
            query.append(" and escalated = :escalated");
            params.and("escalated", escalated);
        }
        if (owner != null) {
            query.append(" and ownerCsmId = :owner");
            params.and("owner", owner);
        }
        return Cta.find(query.toString(), Sort.descending("updatedAt"), params).page(0, 500).list();
    }

    @Transactional
    public Cta get(String id) {
        return Cta.findById(id);
    }

    public CtaEvent toEvent(Cta cta, CtaEvent.Kind kind, Instant at) {
        return new CtaEvent(UUID.randomUUID().toString(), cta.id, kind, at, cta.accountId,
                CtaEvent.CtaType.valueOf(cta.type), cta.reason, CtaEvent.Priority.valueOf(cta.priority), cta.escalated,
                cta.dueAt, cta.ownerCsmId, new CtaEvent.RuleRef(cta.ruleset, cta.rulesetVersion, cta.ruleName),
                read(cta.explanation), cta.closeReason);
    }

    public Map<String, Object> read(String explanation) {
        try {
            return json.readValue(explanation, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish(Cta cta, CtaEvent.Kind kind, Instant at) {
        CtaEvent event = toEvent(cta, kind, at);
        outbox.append(Topics.CTAS_EVENTS, cta.accountId, event.eventId(), CloudEventHeaders.TYPE_CTA_EVENT, cta.id, event);
    }

    private String write(Map<String, Object> explanation) {
        try {
            return json.writeValueAsString(explanation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
