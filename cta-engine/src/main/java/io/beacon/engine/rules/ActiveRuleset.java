package io.beacon.engine.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSessionsPool;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ruleset every evaluation on this instance uses. Versions are compiled off the event path and
 * swapped in whole, so an evaluation sees one version from start to end. Which version serves is
 * decided by {@code RulesetService} (the active version in the database); until the first one is
 * loaded at startup, evaluations wait for it.
 */
@ApplicationScoped
public class ActiveRuleset {

    /**
     * A compiled ruleset: what an evaluation needs, and what a CTA records about its origin.
     * Sessions come from a pool: a disposed session is reset and reused, which saves building one
     * per evaluation.
     */
    public record Compiled(Ruleset ruleset, KieBase kieBase, KieSessionsPool sessions, String checksum) {

        public Compiled(Ruleset ruleset, KieBase kieBase, String checksum) {
            this(ruleset, kieBase, kieBase.newKieSessionsPool(2), checksum);
        }
    }

    private static final Logger LOG = Logger.getLogger(ActiveRuleset.class);
    private static final Duration FIRST_LOAD_TIMEOUT = Duration.ofMinutes(2);

    private final RuleCompiler compiler;
    private final AtomicReference<Compiled> current = new AtomicReference<>();
    private final CountDownLatch loaded = new CountDownLatch(1);

    ActiveRuleset(RuleCompiler compiler) {
        this.compiler = compiler;
    }

    /** The serving ruleset; waits while the first one is being loaded at startup. */
    public Compiled get() {
        Compiled compiled = current.get();
        if (compiled != null) {
            return compiled;
        }
        try {
            if (!loaded.await(FIRST_LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no ruleset has been loaded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ruleset", e);
        }
        return current.get();
    }

    /** The serving ruleset, or null before the first one is loaded. */
    public Compiled getIfLoaded() {
        return current.get();
    }

    /** Makes {@code compiled} the serving ruleset; evaluations already running finish on the old one. */
    public void swap(Compiled compiled) {
        Compiled previous = current.getAndSet(compiled);
        loaded.countDown();
        if (previous == null || previous.ruleset().version() != compiled.ruleset().version()) {
            LOG.infof("Serving ruleset %s v%d (%s)", compiled.ruleset().name(), compiled.ruleset().version(),
                    compiled.ruleset().files().keySet());
        }
    }

    /** Compiles {@code candidate} and serves it if it compiles, bypassing versions; for tests of the evaluation path. */
    public RuleCompiler.Compiled activate(Ruleset candidate) {
        RuleCompiler.Compiled compiled = compiler.compile(candidate.files());
        if (compiled.ok()) {
            swap(new Compiled(candidate, compiled.kieBase(), "test-" + candidate.version()));
        }
        return compiled;
    }

    public static Ruleset fromDirectory(Path dir) {
        return Ruleset.from(RuleSource.fromDirectory(dir), 1);
    }

    public static Ruleset fromClasspath() {
        return Ruleset.from(RuleSource.fromClasspath(), 1);
    }
}
