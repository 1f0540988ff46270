package io.beacon.accounts.service;

import io.beacon.platform.errors.Refusal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.beacon.accounts.domain.Account;
import io.beacon.accounts.domain.Csm;
import io.beacon.accounts.domain.CsmTeam;
import io.beacon.accounts.domain.HealthChange;
import io.beacon.accounts.rest.AccountRequest;
import io.beacon.accounts.rest.AccountView;
import io.beacon.contracts.AccountSnapshot;
import io.beacon.contracts.AccountSnapshot.Measure;
import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.Segment;
import io.beacon.contracts.Topics;
import io.beacon.platform.outbox.Outbox;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Account changes. Every committed change also queues the account's new snapshot in the outbox, in
 * the same transaction, with a version one higher; a write that changes nothing publishes nothing.
 */
@ApplicationScoped
public class AccountService {

    public enum Outcome {
        CREATED, UPDATED, UNCHANGED
    }

    public record Upserted(Outcome outcome, AccountView account) {
    }

    public record Filter(Segment segment, String csmId, AccountSnapshot.Color color) {
    }

    public record PageOf<T>(List<T> items, int page, int size, long total) {
    }

    private final Outbox outbox;
    private final AccountMapper mapper;
    private final HealthScorecard scorecard;
    private final CsmService csms;

    AccountService(Outbox outbox, AccountMapper mapper, HealthScorecard scorecard, CsmService csms) {
        this.outbox = outbox;
        this.mapper = mapper;
        this.scorecard = scorecard;
        this.csms = csms;
    }

    @Transactional
    public AccountView create(AccountRequest request, String actor) {
        if (Account.findById(request.id()) != null) {
            throw Refusal.conflict("An account with id '" + request.id() + "' already exists.");
        }
        return upsert(request, actor).account();
    }

    @Transactional
    public AccountView replace(String id, AccountRequest request, String actor) {
        if (!id.equals(request.id())) {
            throw Refusal.invalid(null,
                    "The id in the body ('" + request.id() + "') differs from the path ('" + id + "').");
        }
        if (Account.findById(id) == null) {
            throw Refusal.notFound("No account with id '" + id + "'.");
        }
        return upsert(request, actor).account();
    }

    /** Creates or replaces an account; the unit of a CSV import row. */
    @Transactional
    public Upserted upsert(AccountRequest request, String actor) {
        Account account = Account.findById(request.id());
        boolean created = account == null;
        Object before = null;
        if (created) {
            account = new Account();
            account.id = request.id();
            account.createdAt = Instant.now();
        } else {
            before = mapper.content(account);
        }
        Integer healthBefore = account.healthScore;
        String measuresBefore = account.healthMeasures;
        apply(account, request);
        if (!created && before.equals(mapper.content(account))) {
            return new Upserted(Outcome.UNCHANGED, mapper.view(account));
        }
        account.updatedAt = Instant.now();
        if (created) {
            account.persist();
        }
        if (!Objects.equals(measuresBefore, account.healthMeasures) || !Objects.equals(healthBefore, account.healthScore)) {
            recordHealth(account, actor);
        }
        publish(account);
        return new Upserted(created ? Outcome.CREATED : Outcome.UPDATED, mapper.view(account));
    }

    @Transactional
    public AccountView get(String id) {
        return mapper.view(find(id));
    }

    @Transactional
    public AccountView byExternalId(String source, String externalId) {
        Account account = holderOf(source, externalId);
        if (account == null) {
            throw Refusal.notFound("No account has " + source + " id '" + externalId + "'.");
        }
        return mapper.view(account);
    }

    @Transactional
    public PageOf<AccountView> list(Filter filter, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (filter.segment() != null) {
            where.add("segment = :segment");
            params.and("segment", filter.segment());
        }
        if (filter.csmId() != null) {
            where.add("csm.id = :csm");
            params.and("csm", filter.csmId());
        }
        if (filter.color() != null) {
            where.add("healthColor = :color");
            params.and("color", filter.color().name());
        }
        String query = where.isEmpty() ? "" : String.join(" and ", where);
        PanacheQuery<Account> found = query.isEmpty()
                ? Account.findAll(Sort.by("id"))
                : Account.find(query, Sort.by("id"), params);
        List<AccountView> items = found.page(Page.of(page, size)).list().stream().map(mapper::view).toList();
        return new PageOf<>(items, page, size, found.count());
    }

    /** Every account, for export and re-publishing. */
    @Transactional
    public List<Account> all() {
        return Account.listAll(Sort.by("id"));
    }

    @Transactional
    public void delete(String id) {
        Account account = find(id);
        account.delete();
        // A tombstone: compaction then removes the account from the topic, and consumers drop it.
        outbox.append(Topics.ACCOUNTS_SNAPSHOTS, id, id + ":deleted:" + (account.version + 1),
                CloudEventHeaders.TYPE_ACCOUNT_SNAPSHOT, id, null);
    }

    @Transactional
    public AccountView setHealth(String id, List<Measure> measures, String actor) {
        Account account = find(id);
        List<String> problems = scorecard.check(measures);
        if (!problems.isEmpty()) {
            throw Refusal.invalid(null, "The scorecard is not valid: " + String.join("; ", problems) + ".");
        }
        return changeHealth(account, measures, actor);
    }

    /**
     * Sets one measure's score and keeps the others; the boundary through which other services
     * (the engine's support signal, say) adjust an account's health.
     */
    @Transactional
    public AccountView setMeasure(String id, String name, int score, String actor) {
        Account account = find(id);
        List<Measure> measures = new ArrayList<>();
        if (account.healthMeasures != null) {
            measures.addAll(mapper.measures(account.healthMeasures));
        } else {
            // No scorecard yet: start from the standard one with neutral scores.
            scorecard.standardWeights().forEach((n, w) -> measures.add(new Measure(n, w, 50)));
        }
        int at = -1;
        for (int i = 0; i < measures.size(); i++) {
            if (measures.get(i).name().equals(name)) {
                at = i;
            }
        }
        if (at < 0) {
            throw Refusal.notFound("The scorecard of '" + id + "' has no measure '" + name + "'.");
        }
        measures.set(at, new Measure(name, measures.get(at).weight(), score));
        return setHealth(id, measures, actor);
    }

    @Transactional
    public List<HealthChange> history(String id) {
        find(id);
        return HealthChange.list("accountId", Sort.ascending("changedAt", "id"), id);
    }

    /** The team's lead changed: its accounts' snapshots (which name the lead) are published anew. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void teamChanged(CsmTeam team) {
        for (Account account : Account.<Account> list("csm.team.name = ?1", team.name)) {
            account.updatedAt = Instant.now();
            publish(account);
        }
    }

    /** Queues a snapshot of every account again, so consumers can rebuild their view. */
    @Transactional
    public int republishAll() {
        List<Account> accounts = all();
        for (Account account : accounts) {
            outbox.append(Topics.ACCOUNTS_SNAPSHOTS, account.id, account.id + ":v" + account.version + ":r" + Instant.now().toEpochMilli(),
                    CloudEventHeaders.TYPE_ACCOUNT_SNAPSHOT, account.id, mapper.snapshot(account));
        }
        return accounts.size();
    }

    private AccountView changeHealth(Account account, List<Measure> measures, String actor) {
        String stored = mapper.store(measures);
        if (stored.equals(account.healthMeasures)) {
            return mapper.view(account);
        }
        setHealthFields(account, measures);
        account.updatedAt = Instant.now();
        recordHealth(account, actor);
        publish(account);
        return mapper.view(account);
    }

    private void apply(Account account, AccountRequest request) {
        account.name = request.name();
        account.setEmployees(request.employees());
        account.arr = request.arr() == null ? null : request.arr().setScale(2, RoundingMode.HALF_UP);
        account.renewalDate = request.renewalDate();
        account.lifecycleStage = request.lifecycleStage();
        if (request.test() != null) {
            account.test = request.test();
        }
        if (request.csmId() != null) {
            Csm csm = Csm.findById(request.csmId());
            if (csm == null) {
                throw Refusal.invalid(null, "Unknown CSM '" + request.csmId() + "'; create the CSM first.");
            }
            account.csm = csm;
        } else if (account.csm == null) {
            account.csm = csms.leastLoaded(account.segment).orElse(null);
        }
        if (request.externalIds() != null) {
            for (Map.Entry<String, String> ext : request.externalIds().entrySet()) {
                Account holder = holderOf(ext.getKey(), ext.getValue());
                if (holder != null && !holder.id.equals(account.id)) {
                    throw Refusal.conflict("The " + ext.getKey() + " id '" + ext.getValue()
                            + "' already belongs to account '" + holder.id + "'.");
                }
            }
            account.externalIds = new HashMap<>(request.externalIds());
        }
        if (request.health() != null) {
            List<Measure> measures = request.health().stream()
                    .map(m -> new Measure(m.name(), m.weight(), m.score())).toList();
            List<String> problems = scorecard.check(measures);
            if (!problems.isEmpty()) {
                throw Refusal.invalid(null, "The health scorecard is not valid: " + String.join("; ", problems) + ".");
            }
            setHealthFields(account, measures);
        }
    }

    private void setHealthFields(Account account, List<Measure> measures) {
        AccountSnapshot.Health health = scorecard.score(measures);
        account.healthMeasures = mapper.store(measures);
        account.healthScore = health.score();
        account.healthColor = health.color().name();
    }

    private void recordHealth(Account account, String actor) {
        if (account.healthScore == null) {
            return;
        }
        HealthChange change = new HealthChange();
        change.accountId = account.id;
        change.score = account.healthScore;
        change.color = account.healthColor;
        change.measures = account.healthMeasures;
        change.changedBy = actor;
        change.changedAt = Instant.now();
        change.persist();
    }

    private void publish(Account account) {
        account.version++;
        outbox.append(Topics.ACCOUNTS_SNAPSHOTS, account.id, account.id + ":v" + account.version,
                CloudEventHeaders.TYPE_ACCOUNT_SNAPSHOT, account.id, mapper.snapshot(account));
    }

    /** The account known in {@code source} under {@code externalId}, or null. */
    private static Account holderOf(String source, String externalId) {
        return Account.find("select a from Account a join a.externalIds e where key(e) = ?1 and value(e) = ?2",
                source, externalId).firstResult();
    }

    private static Account find(String id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw Refusal.notFound("No account with id '" + id + "'.");
        }
        return account;
    }
}
