package io.beacon.engine.rules;

import io.beacon.platform.tx.AfterCommit;

import io.beacon.platform.errors.Refusal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.RulesetChange;
import io.beacon.contracts.Topics;
import io.beacon.platform.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * Rule operations: versions as data, validation, activation and rollback, and the audit trail.
 * Activation is one path whoever asks (API, rules directory, rollback): the version must pass
 * validation and its scenarios, it replaces the active version in one transaction, and the change
 * goes out on {@code rules.changes} through the outbox so every instance swaps to it. A version that
 * fails is refused with the report and the active one keeps serving.
 */
@ApplicationScoped
public class RulesetService {

    private static final Logger LOG = Logger.getLogger(RulesetService.class);
    private static final TypeReference<Map<String, String>> TEXTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Map<String, Object>>> PARAMS = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;
    private final RuleValidator validator;
    private final ActiveRuleset active;
    private final Outbox outbox;
    private final TransactionSynchronizationRegistry transactions;
    private final RulesConfig config;
    private final Clock clock;
    private final Object loading = new Object();
    /**
     * Validation reports (with the compiled rules) by name/version/checksum, least recently used
     * first. Validating the same content always gives the same report, so the API's validation, the
     * compile on DRAFTED and the activation share one compile; a caller that asks while another
     * compiles waits for that compile instead of starting its own.
     */
    private final Map<String, CompletableFuture<RuleValidator.Report>> reports = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<RuleValidator.Report>> eldest) {
            return size() > REPORTS_KEPT;
        }
    };
    private static final int REPORTS_KEPT = 4;

    RulesetService(EntityManager em, ObjectMapper json, RuleValidator validator, ActiveRuleset active, Outbox outbox,
            TransactionSynchronizationRegistry transactions, RulesConfig config, Clock clock) {
        this.em = em;
        this.json = json;
        this.validator = validator;
        this.active = active;
        this.outbox = outbox;
        this.transactions = transactions;
        this.config = config;
        this.clock = clock;
    }

    /** The outcome of an activation: the new active version, or the report that refused it. */
    public record Activation(RulesetVersion version, RuleValidator.Report report) {

        public boolean activated() {
            return report.ok();
        }
    }

    /** Stores a new draft: the next version number of the ruleset. */
    @Transactional
    public RulesetVersion create(RuleSource source, String author, String comment, String origin) {
        lock(source.name());
        Integer last = em.createQuery("select max(v.version) from RulesetVersion v where v.name = ?1", Integer.class)
                .setParameter(1, source.name()).getSingleResult();
        RulesetVersion version = new RulesetVersion();
        version.name = source.name();
        version.version = last == null ? 1 : last + 1;
        version.status = RulesetVersion.Status.DRAFT;
        version.files = write(source.files());
        version.params = write(source.params());
        version.scenarios = write(source.scenarios());
        version.checksum = source.checksum();
        version.author = author;
        version.comment = comment;
        version.source = origin;
        version.createdAt = clock.instant();
        version.persist();
        audit(version, "CREATED", author, comment, null);
        // Every instance compiles a new draft in the background, so that activating it later is a swap.
        outbox.append(Topics.RULES_CHANGES, version.name, "ruleset-" + version.name + "-v" + version.version + "-drafted",
                CloudEventHeaders.TYPE_RULESET_CHANGE, version.name, new RulesetChange(version.name, version.version,
                        version.checksum, "DRAFTED", author, comment, version.createdAt));
        return version;
    }

    /** Throws a draft away: it stays in the history and the audit, marked DISCARDED, and can never be activated. */
    @Transactional
    public RulesetVersion discard(String name, int version, String actor, String comment) {
        lock(name);
        RulesetVersion target = find(name, version).orElseThrow(() -> notFound(name, version));
        if (target.status != RulesetVersion.Status.DRAFT) {
            throw Refusal.conflict("Only a draft can be discarded; version " + version + " is " + target.status + ".");
        }
        target.status = RulesetVersion.Status.DISCARDED;
        audit(target, "DISCARDED", actor, comment, null);
        return target;
    }

    @Transactional
    public Optional<RulesetVersion> find(String name, int version) {
        return RulesetVersion.find("name = ?1 and version = ?2", name, version).firstResultOptional();
    }

    @Transactional
    public Optional<RulesetVersion> activeVersion(String name) {
        return RulesetVersion.find("name = ?1 and status = ?2", name, RulesetVersion.Status.ACTIVE).firstResultOptional();
    }

    @Transactional
    public List<RulesetVersion> versions(String name) {
        return RulesetVersion.list("name", Sort.descending("version"), name);
    }

    @Transactional
    public List<String> names() {
        return em.createQuery("select distinct v.name from RulesetVersion v order by v.name", String.class).getResultList();
    }

    @Transactional
    public List<RulesetAudit> audit(String name) {
        return RulesetAudit.list("name", Sort.descending("at", "id"), name);
    }

    public RuleSource source(RulesetVersion version) {
        return new RuleSource(version.name, read(version.files, TEXTS), read(version.params, PARAMS),
                read(version.scenarios, TEXTS));
    }

    public RuleValidator.Report validate(String name, int version) {
        RulesetVersion stored = find(name, version).orElseThrow(() -> notFound(name, version));
        return report(stored);
    }

    /**
     * Makes {@code version} the active one if it passes validation and its scenarios. A refusal is
     * audited (in its own transaction, so it is kept) and returned with its report.
     *
     * @param action ACTIVATED or ROLLED_BACK, for the audit trail and the change record
     */
    @Transactional
    public Activation activate(String name, int version, String actor, String comment, String action) {
        lock(name);
        RulesetVersion target = find(name, version).orElseThrow(() -> notFound(name, version));
        if (target.status == RulesetVersion.Status.DISCARDED) {
            throw Refusal.conflict("Version " + version + " was discarded; it cannot be activated.");
        }
        RuleValidator.Report report = report(target);
        if (!report.ok()) {
            QuarkusTransaction.requiringNew().run(() -> audit(target, "REFUSED", actor, comment, report.summary()));
            LOG.warnf("Ruleset %s v%d refused: %s", name, version, report.summary());
            return new Activation(target, report);
        }
        Instant now = clock.instant();
        activeVersion(name).filter(current -> current.version != version).ifPresent(current -> {
            current.status = RulesetVersion.Status.RETIRED;
            em.flush();
            audit(current, "RETIRED", actor, "replaced by v" + version, null);
        });
        target.status = RulesetVersion.Status.ACTIVE;
        target.activatedAt = now;
        audit(target, action, actor, comment, null);
        outbox.append(Topics.RULES_CHANGES, name, "ruleset-" + name + "-v" + version + "-" + now.toEpochMilli(),
                CloudEventHeaders.TYPE_RULESET_CHANGE, name,
                new RulesetChange(name, version, target.checksum, action, actor, comment, now));
        ActiveRuleset.Compiled compiled = new ActiveRuleset.Compiled(report.ruleset(), report.compiled(), target.checksum);
        // This instance swaps as soon as the change is committed; the others on rules.changes.
        AfterCommit.run(transactions, () -> active.swap(compiled));
        LOG.infof("Ruleset %s v%d activated by %s (%s)", name, version, actor, action);
        return new Activation(target, report);
    }

    /**
     * Makes this instance run the active version of {@code name} from the database, compiling it
     * off the event path; a no-op when it already does.
     */
    public void load(String name) {
        // One load at a time: rules.changes and the reconcile job may ask together, and a second
        // compile in parallel would only slow the first one down.
        synchronized (loading) {
            loadOnce(name);
        }
    }

    private void loadOnce(String name) {
        Optional<RulesetVersion> stored = activeVersion(name);
        if (stored.isEmpty()) {
            return;
        }
        ActiveRuleset.Compiled current = active.getIfLoaded();
        if (current != null && stored.get().checksum.equals(current.checksum())
                && current.ruleset().version() == stored.get().version) {
            return;
        }
        ActiveRuleset.Compiled compiled = compiled(stored.get(), false);
        if (compiled != null) {
            active.swap(compiled);
            LOG.infof("Now running ruleset %s v%d", name, stored.get().version);
        }
    }

    /** Compiles a version ahead of its activation (announced as DRAFTED on rules.changes). */
    public void prepare(String name, int version) {
        find(name, version).ifPresent(this::report);
    }

    /** The versions of {@code name} this instance has compiled and could swap to at once. */
    public List<Integer> prepared(String name) {
        synchronized (reports) {
            return reports.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(name + "/") && e.getValue().isDone()
                            && !e.getValue().isCompletedExceptionally() && e.getValue().join().compiled() != null)
                    .map(e -> e.getValue().join().ruleset().version())
                    .sorted().toList();
        }
    }

    /** The report this instance made when it prepared (or validated) the version, if it did. */
    public Optional<RuleValidator.Report> preparedReport(RulesetVersion version) {
        CompletableFuture<RuleValidator.Report> report;
        synchronized (reports) {
            report = reports.get(version.name + "/" + version.version + "/" + version.checksum);
        }
        return report != null && report.isDone() && !report.isCompletedExceptionally()
                ? Optional.of(report.join()) : Optional.empty();
    }

    /** The version compiled, from the report cache when it is there; null if it does not compile. */
    private ActiveRuleset.Compiled compiled(RulesetVersion version, boolean draft) {
        RuleValidator.Report report = report(version);
        if (report.compiled() == null) {
            if (draft) {
                LOG.debugf("Draft %s v%d does not compile: %s", version.name, version.version, report.summary());
            } else {
                LOG.errorf("The active ruleset %s v%d does not compile here; keeping the current one: %s",
                        version.name, version.version, report.summary());
            }
            return null;
        }
        return new ActiveRuleset.Compiled(report.ruleset(), report.compiled(), version.checksum);
    }

    /** The validation report of a stored version, computed once per content (see {@link #reports}). */
    private RuleValidator.Report report(RulesetVersion version) {
        String key = version.name + "/" + version.version + "/" + version.checksum;
        CompletableFuture<RuleValidator.Report> mine = new CompletableFuture<>();
        CompletableFuture<RuleValidator.Report> existing;
        synchronized (reports) {
            existing = reports.putIfAbsent(key, mine);
        }
        if (existing != null) {
            return existing.join();
        }
        try {
            RuleValidator.Report report = validator.validate(source(version), version.version);
            mine.complete(report);
            return report;
        } catch (RuntimeException e) {
            synchronized (reports) {
                reports.remove(key, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Brings a rules directory in: an unseen content becomes a new draft, activated when it passes
     * and auto-activation is on (or when the ruleset has no active version at all).
     *
     * @return the version created, if the content was new
     */
    public Optional<RulesetVersion> syncDirectory(RuleSource source) {
        boolean known = QuarkusTransaction.requiringNew().call(() -> RulesetVersion
                .count("name = ?1 and checksum = ?2", source.name(), source.checksum()) > 0);
        if (known) {
            return Optional.empty();
        }
        RulesetVersion created = create(source, "rules-directory", "changed in " + config.dir().map(Object::toString)
                .orElse("the rules directory"), "directory");
        boolean hasActive = activeVersion(source.name()).isPresent();
        if (!hasActive || config.autoActivate()) {
            Activation activation = activate(source.name(), created.version, "rules-directory",
                    "activated from the rules directory", "ACTIVATED");
            if (!activation.activated() && !hasActive) {
                throw new IllegalStateException("the ruleset '" + source.name() + "' v" + created.version
                        + " from " + config.dir().orElse(null) + " cannot serve: " + activation.report().summary());
            }
        }
        return Optional.of(created);
    }

    private void lock(String name) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended('ruleset:' || ?1, 0))")
                .setParameter(1, name).getSingleResult();
    }

    private void audit(RulesetVersion version, String action, String actor, String comment, String detail) {
        RulesetAudit entry = new RulesetAudit();
        entry.name = version.name;
        entry.version = version.version;
        entry.action = action;
        entry.actor = actor;
        entry.comment = comment;
        entry.detail = detail;
        entry.at = clock.instant();
        entry.persist();
    }

    private static Refusal notFound(String name, int version) {
        return Refusal.notFound("There is no version " + version + " of ruleset '" + name + "'.");
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored ruleset version is unreadable", e);
        }
    }
}
