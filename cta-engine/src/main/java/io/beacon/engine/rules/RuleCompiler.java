package io.beacon.engine.rules;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.drools.compiler.kie.builder.impl.DrlProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Compiles DRL at runtime, so rules change without a redeploy. Each compile gets its own release id
 * and is removed from the KIE repository afterwards; the KieBase lives on by itself.
 */
@ApplicationScoped
public class RuleCompiler {

    /** A compile error with its place in the rule file. */
    public record RuleError(String file, int line, int column, String message) {
    }

    public record Compiled(KieBase kieBase, List<RuleError> errors) {

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private static final String RULES_PATH = "src/main/resources/rules/";

    /** @param files file name to DRL text */
    public Compiled compile(Map<String, String> files) {
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("io.beacon.rules", "ruleset", "1.0.0-" + UUID.randomUUID());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        files.forEach((name, drl) -> kfs.write(RULES_PATH + name, drl));
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(DrlProject.class);
        List<RuleError> errors = builder.getResults().getMessages(Message.Level.ERROR).stream()
                .map(m -> new RuleError(m.getPath() == null ? null : m.getPath().replaceFirst("^(src/main/resources/)?rules/", ""),
                        m.getLine(), m.getColumn(), m.getText()))
                .toList();
        try {
            if (!errors.isEmpty()) {
                return new Compiled(null, errors);
            }
            KieBase kieBase = ks.newKieContainer(releaseId, RuleCompiler.class.getClassLoader()).getKieBase();
            return new Compiled(kieBase, List.of());
        } finally {
            ks.getRepository().removeKieModule(releaseId);
        }
    }
}
