package io.beacon.engine.rules;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.RulesetChange;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Keeps this instance on the active ruleset version: loads it at startup (bringing in the rules
 * directory first), follows {@code rules.changes}, checks now and then that nothing was missed, and
 * watches the rules directory (a git checkout or a mounted ConfigMap) for edits.
 */
@ApplicationScoped
public class RulesetLifecycle {

    public static final String CHANNEL = "rules-in";

    private static final Logger LOG = Logger.getLogger(RulesetLifecycle.class);

    private final RulesetService rulesets;
    private final ActiveRuleset active;
    private final RulesConfig config;
    private final ObjectMapper json;
    private volatile String serving;
    private volatile WatchService watcher;

    RulesetLifecycle(RulesetService rulesets, ActiveRuleset active, RulesConfig config, ObjectMapper json) {
        this.rulesets = rulesets;
        this.active = active;
        this.config = config;
        this.json = json;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        RuleSource source = config.dir().map(RuleSource::fromDirectory).orElseGet(RuleSource::fromClasspath);
        serving = source.name();
        rulesets.syncDirectory(source);
        rulesets.load(serving);
        if (active.getIfLoaded() == null) {
            throw new IllegalStateException("ruleset '" + serving + "' has no active version that compiles");
        }
        config.dir().filter(dir -> config.watch()).ifPresent(this::watch);
    }

    void stop(@Observes ShutdownEvent event) throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** Another instance (or this one) activated a version. */
    @Incoming(CHANNEL)
    @Blocking
    public void changed(String payload) {
        try {
            RulesetChange change = json.readValue(payload, RulesetChange.class);
            if (!change.name().equals(serving)) {
                return;
            }
            if ("DRAFTED".equals(change.action())) {
                rulesets.prepare(change.name(), change.version());
            } else {
                rulesets.load(change.name());
            }
        } catch (IOException e) {
            LOG.warnf("Ignoring an unreadable rules.changes record: %s", e.getMessage());
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // A draft that cannot be prepared is reported on the draft; this consumer, and with it the
            // instance's health, must not depend on what a draft does.
            LOG.errorf(e, "Could not act on rules.changes record %s; the active version keeps serving", payload);
        }
    }

    @Scheduled(every = "${beacon.rules.reconcile-every:10s}", delayed = "${beacon.rules.reconcile-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        if (serving != null) {
            try {
                rulesets.load(serving);
            } catch (RuntimeException e) {
                LOG.warnf("Could not check the active ruleset: %s", e.getMessage());
            }
        }
    }

    /** Loads the directory now, as the watcher does after an edit; for tests and tools. */
    public void syncNow() {
        config.dir().map(RuleSource::fromDirectory).ifPresent(rulesets::syncDirectory);
    }

    private void watch(Path dir) {
        try {
            watcher = FileSystems.getDefault().newWatchService();
            register(dir);
            register(dir.resolve("scenarios"));
        } catch (IOException e) {
            LOG.warnf("Cannot watch the rules directory %s: %s", dir, e.getMessage());
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    // Editors and ConfigMap updates write several files; let them settle, then read once.
                    TimeUnit.MILLISECONDS.sleep(500);
                    key.pollEvents();
                    key.reset();
                    WatchKey more;
                    while ((more = watcher.poll()) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    try {
                        syncNow();
                    } catch (RuntimeException e) {
                        LOG.warnf("The rules directory could not be loaded, the active version keeps serving: %s",
                                e.getMessage());
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // stopping
            }
        }, "rules-directory-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Watching %s for rule changes (auto-activate: %s)", dir, config.autoActivate());
    }

    private void register(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        }
    }
}
