package io.beacon.engine.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSessionsPool;

import io.beacon.engine.config.EngineConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ruleset every evaluation uses. It is compiled off the event path and swapped in whole, so an
 * evaluation sees one version from start to end; a ruleset that does not compile never replaces the
 * one that serves.
 */
@ApplicationScoped
@Startup
public class ActiveRuleset {

    /**
     * A compiled ruleset: what an evaluation needs, and what a CTA records about its origin.
     * Sessions come from a pool: a disposed session is reset and reused, which saves building one
     * per evaluation.
     */
    public record Compiled(Ruleset ruleset, KieBase kieBase, KieSessionsPool sessions) {
        Compiled(Ruleset ruleset, KieBase kieBase) {
            this(ruleset, kieBase, kieBase.newKieSessionsPool(2));
        }
    }

    private static final Logger LOG = Logger.getLogger(ActiveRuleset.class);

    private final RuleCompiler compiler;
    private final AtomicReference<Compiled> current = new AtomicReference<>();

    ActiveRuleset(RuleCompiler compiler, EngineConfig config) {
        this.compiler = compiler;
        Ruleset initial = config.dir().map(ActiveRuleset::fromDirectory).orElseGet(ActiveRuleset::fromClasspath);
        RuleCompiler.Compiled compiled = compiler.compile(initial.files());
        if (!compiled.ok()) {
            throw new IllegalStateException("the ruleset '" + initial.name() + "' v" + initial.version()
                    + " does not compile: " + compiled.errors());
        }
        current.set(new Compiled(initial, compiled.kieBase()));
        LOG.infof("Active ruleset %s v%d (%s)", initial.name(), initial.version(), initial.files().keySet());
    }

    public Compiled get() {
        return current.get();
    }

    /** Compiles {@code candidate} and makes it active if it compiles; otherwise the current one stays. */
    public RuleCompiler.Compiled activate(Ruleset candidate) {
        RuleCompiler.Compiled compiled = compiler.compile(candidate.files());
        if (compiled.ok()) {
            // Evaluations running on the old ruleset finish with it; its pool goes with it.
            current.set(new Compiled(candidate, compiled.kieBase()));
        }
        return compiled;
    }

    static Ruleset fromDirectory(Path dir) {
        return Ruleset.parse(properties(read(dir.resolve(Ruleset.MANIFEST))), file -> read(dir.resolve(file)));
    }

    static Ruleset fromClasspath() {
        Function<String, String> resource = name -> {
            try (InputStream in = ActiveRuleset.class.getClassLoader().getResourceAsStream("default-rules/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("default-rules/" + name + " is missing from the engine");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Ruleset.parse(properties(resource.apply(Ruleset.MANIFEST)), resource);
    }

    private static Properties properties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new java.io.StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + file, e);
        }
    }
}
