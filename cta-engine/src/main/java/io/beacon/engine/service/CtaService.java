package io.beacon.engine.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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

    /** The accounts' CTAs that are not closed, by account. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, List<Cta>> notClosed(Collection<String> accountIds) {
        Map<String, List<Cta>> byAccount = new HashMap<>();
        for (Cta cta : Cta.<Cta> list("accountId in ?1 and status <> ?2", accountIds, Cta.CLOSED)) {
            byAccount.computeIfAbsent(cta.accountId, a -> new ArrayList<>()).add(cta);
        }
        return byAccount;
    }

    /** Collects the CTA changes of one evaluation run; their events go to the outbox in one statement. */
    public Changes changes() {
        return new Changes();
    }

    public final class Changes {

        private final List<Outbox.Entry> events = new ArrayList<>();
        /** Each decision's explanation is written once, whether it is compared, stored or both. */
        private final Map<Decisions.Decision, String> written = new IdentityHashMap<>();

        private Changes() {
        }

        /** Applies one account's decisions to its not-closed CTAs ({@code open}). */
        public void apply(AccountView account, List<Decisions.Decision> decisions, List<Cta> open, Ruleset ruleset,
                Instant now) {
            for (Decisions.Decision decision : merge(decisions)) {
                Cta existing = open.stream()
                        .filter(c -> c.type.equals(decision.type()) && c.reason.equals(decision.reason()))
                        .findFirst().orElse(null);
                if (decision.kind() == Decisions.Kind.RAISE) {
                    raise(account, decision, ruleset, existing, now);
                } else if (existing != null) {
                    existing.status = Cta.CLOSED;
                    existing.closeReason = decision.closeReason();
                    existing.closedAt = now;
                    existing.updatedAt = now;
                    existing.snoozedUntil = null;
                    stamp(existing, decision, ruleset);
                    add(existing, CtaEvent.Kind.CLOSED, now, decision);
                }
            }
        }

        private String explanation(Decisions.Decision decision) {
            return written.computeIfAbsent(decision, d -> write(d.explanation()));
        }

        private void stamp(Cta cta, Decisions.Decision decision, Ruleset ruleset) {
            cta.ruleset = ruleset.name();
            cta.rulesetVersion = ruleset.version();
            cta.ruleName = decision.rule();
            cta.explanation = explanation(decision);
        }

        /** Queues the collected events in the outbox (in the caller's transaction). */
        public void publish() {
            outbox.appendAll(events);
            events.clear();
        }

        private void raise(AccountView account, Decisions.Decision decision, Ruleset ruleset, Cta existing,
                Instant now) {
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
                cta.escalatedAt = cta.escalated ? now : null;
                stamp(cta, decision, ruleset);
                cta.persist();
                add(cta, cta.escalated ? CtaEvent.Kind.ESCALATED : CtaEvent.Kind.OPENED, now, decision);
                return;
            }
            if (Cta.SNOOZED.equals(existing.status)) {
                return;
            }
            if (decision.escalated() && !existing.escalated) {
                existing.escalated = true;
                existing.escalatedAt = now;
                existing.priority = higher(existing.priority, decision.priority());
                change(existing, decision, ruleset, CtaEvent.Kind.ESCALATED, now);
            } else if (existing.escalated && !decision.escalated()) {
                // An escalated CTA keeps its escalation and its explanation until it closes.
                return;
            } else if (!decision.priority().equals(existing.priority)
                    || !explanation(decision).equals(existing.explanation)) {
                existing.priority = existing.escalated ? higher(existing.priority, decision.priority())
                        : decision.priority();
                change(existing, decision, ruleset, CtaEvent.Kind.UPDATED, now);
            }
        }

        private void change(Cta cta, Decisions.Decision decision, Ruleset ruleset, CtaEvent.Kind kind, Instant now) {
            cta.updatedAt = now;
            stamp(cta, decision, ruleset);
            add(cta, kind, now, decision);
        }

        private void add(Cta cta, CtaEvent.Kind kind, Instant at, Decisions.Decision decision) {
            events.add(entry(cta, kind, at, decision.explanation()));
        }
    }

    /**
     * Several rules may raise the same CTA in one evaluation (say SupportRisk and SupportRiskAging):
     * they become one decision with the highest priority, escalated if any of them escalates, named
     * after the escalating rule, with all their explanations. A raise wins over a clear.
     */
    public static List<Decisions.Decision> merge(List<Decisions.Decision> decisions) {
        Map<String, Decisions.Decision> byKey = new LinkedHashMap<>();
        for (Decisions.Decision d : decisions) {
            String key = d.type() + "/" + d.reason();
            Decisions.Decision seen = byKey.get(key);
            if (seen == null || (seen.kind() == Decisions.Kind.CLEAR && d.kind() == Decisions.Kind.RAISE)) {
                byKey.put(key, d);
            } else if (d.kind() == Decisions.Kind.RAISE) {
                Decisions.Decision lead = d.escalated() && !seen.escalated() ? d : seen;
                Decisions.Decision other = lead == d ? seen : d;
                lead.priority(higher(lead.priority(), other.priority()));
                if (other.escalated()) {
                    lead.escalate();
                }
                other.explanation().forEach(lead.explanation()::putIfAbsent);
                byKey.put(key, lead);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static String higher(String a, String b) {
        return CtaEvent.Priority.valueOf(a).compareTo(CtaEvent.Priority.valueOf(b)) >= 0 ? a : b;
    }

    /** One page of CTAs and how many match in all. */
    public record Page(List<Cta> items, long total) {
    }

    /** CTAs matching the filters (null = any), newest change first; ties in id order, so pages never overlap. */
    @Transactional
    public Page find(String accountId, String status, Boolean escalated, String owner, int page, int size) {
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
        var found = Cta.find(query.toString(), Sort.descending("updatedAt").and("id"), params);
        return new Page(found.page(page, size).list(), found.count());
    }

    @Transactional
    public Cta get(String id) {
        return Cta.findById(id);
    }

    public CtaEvent toEvent(Cta cta, CtaEvent.Kind kind, Instant at) {
        return toEvent(cta, kind, at, read(cta.explanation));
    }

    private static CtaEvent toEvent(Cta cta, CtaEvent.Kind kind, Instant at, Map<String, Object> explanation) {
        return new CtaEvent(UUID.randomUUID().toString(), cta.id, kind, at, cta.accountId,
                CtaEvent.CtaType.valueOf(cta.type), cta.reason, CtaEvent.Priority.valueOf(cta.priority), cta.escalated,
                cta.dueAt, cta.ownerCsmId, new CtaEvent.RuleRef(cta.ruleset, cta.rulesetVersion, cta.ruleName),
                explanation, cta.closeReason);
    }

    public Map<String, Object> read(String explanation) {
        try {
            return json.readValue(explanation, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Queues one CTA change in the outbox (in the caller's transaction). */
    void publish(Cta cta, CtaEvent.Kind kind, Instant at) {
        outbox.appendAll(List.of(entry(cta, kind, at, read(cta.explanation))));
    }

    private static Outbox.Entry entry(Cta cta, CtaEvent.Kind kind, Instant at, Map<String, Object> explanation) {
        CtaEvent event = toEvent(cta, kind, at, explanation);
        return new Outbox.Entry(Topics.CTAS_EVENTS, cta.accountId, event.eventId(), CloudEventHeaders.TYPE_CTA_EVENT,
                cta.id, event);
    }

    /** The explanation as stored on the CTA. */
    private String write(Map<String, Object> explanation) {
        try {
            return json.writeValueAsString(explanation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
