package io.beacon.engine.cta;

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
import io.beacon.platform.outbox.Outbox;
import io.beacon.platform.tx.Jdbc;
import jakarta.persistence.EntityManager;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Reads CTAs and queues their changes' events in the outbox, in the transaction of the change. What
 * decisions do to CTAs is {@link io.beacon.engine.cta.CtaReconciler}'s business.
 */
@ApplicationScoped
public class CtaService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final String HISTORY = """
            INSERT INTO cta_change (cta_id, account_id, kind, at, actor, priority, escalated, owner_csm_id, ruleset,
                                    ruleset_version, rule_name, explanation)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private final Outbox outbox;
    private final ObjectMapper json;
    private final PlaybookTasks playbooks;
    private final EntityManager em;

    CtaService(Outbox outbox, ObjectMapper json, PlaybookTasks playbooks, EntityManager em) {
        this.outbox = outbox;
        this.json = json;
        this.playbooks = playbooks;
        this.em = em;
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

    /**
     * Queues the changes' events in the outbox, in their order (in the caller's transaction), and gives
     * each CTA that opened its playbook's tasks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(List<CtaChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Outbox.Entry> entries = new ArrayList<>(changes.size());
        Jdbc.Batch history = Jdbc.batch(HISTORY);
        for (CtaChange change : changes) {
            entries.add(entry(change.event()));
            record(history, change.event());
            if (opened(change)) {
                playbooks.attach(change.cta());
            }
        }
        history.execute(em);
        outbox.appendAll(entries);
    }

    private static boolean opened(CtaChange change) {
        CtaEvent event = change.event();
        return (event.kind() == CtaEvent.Kind.OPENED || event.kind() == CtaEvent.Kind.ESCALATED)
                && event.occurredAt().equals(change.cta().openedAt);
    }

    /** One page of CTAs and how many match in all. */
    public record Page(List<Cta> items, long total) {
    }

    /** CTAs matching the filters (null = any), newest change first; ties in id order, so pages never overlap. */
    @Transactional
    public Page find(String accountId, String status, Boolean escalated, String owner, String team, int page, int size) {
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
        if (team != null) {
            query.append(" and ownerCsmId in (select e.csmId from CsmEntry e where e.team = :team)");
            params.and("team", team);
        }
        var found = Cta.find(query.toString(), Sort.descending("updatedAt").and("id"), params);
        return new Page(found.page(page, size).list(), found.count());
    }

    /** Playbook progress of these CTAs: tasks in all and done, by CTA id (CTAs without tasks are absent). */
    @Transactional
    public Map<String, int[]> progress(Collection<String> ctaIds) {
        Map<String, int[]> progress = new HashMap<>();
        if (ctaIds.isEmpty()) {
            return progress;
        }
        List<Object[]> rows = CtaTask.getEntityManager().createQuery(
                "select t.ctaId, count(t), count(t.doneAt) from CtaTask t where t.ctaId in ?1 group by t.ctaId", Object[].class)
                .setParameter(1, ctaIds).getResultList();
        for (Object[] row : rows) {
            progress.put((String) row[0], new int[] { ((Number) row[1]).intValue(), ((Number) row[2]).intValue() });
        }
        return progress;
    }

    @Transactional
    public Cta get(String id) {
        return Cta.findById(id);
    }

    public CtaEvent toEvent(Cta cta, CtaEvent.Kind kind, Instant at, String actor) {
        return CtaChange.event(cta, kind, at, read(cta.explanation), actor);
    }

    public Map<String, Object> read(String explanation) {
        try {
            return json.readValue(explanation, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Queues one CTA change a person made in the outbox (in the caller's transaction). */
    void publish(Cta cta, CtaEvent.Kind kind, Instant at, String actor) {
        CtaEvent event = toEvent(cta, kind, at, actor);
        outbox.appendAll(List.of(entry(event)));
        Jdbc.Batch history = Jdbc.batch(HISTORY);
        record(history, event);
        history.execute(em);
    }

    /** The change as the account page's timeline keeps it. */
    private void record(Jdbc.Batch history, CtaEvent e) {
        String explanation;
        try {
            explanation = json.writeValueAsString(e.explanation() == null ? Map.of() : e.explanation());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        history.add(e.ctaId(), e.accountId(), e.kind().name(), java.sql.Timestamp.from(e.occurredAt()), e.actor(),
                e.priority().name(), e.escalated(), e.ownerCsmId(), e.rule().ruleset(), e.rule().version(), e.rule().rule(),
                explanation);
    }

    private static Outbox.Entry entry(CtaEvent event) {
        return new Outbox.Entry(Topics.CTAS_EVENTS, event.accountId(), event.eventId(), CloudEventHeaders.TYPE_CTA_EVENT,
                event.ctaId(), event);
    }
}
