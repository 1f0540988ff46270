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
    /**
     * One error at file:line:column. When the message states its own position ("Line 6:33 ..."), that
     * column is the one kept: Drools and the guard count columns differently (0, or one more), and the
     * marker must agree with the text beside it.
     */
    public record RuleError(String file, int line, int column, String message) {

        private static final java.util.regex.Pattern STATED = java.util.regex.Pattern.compile("[Ll]ine (\\d+):(\\d+)");

        public RuleError {
            java.util.regex.Matcher stated = STATED.matcher(message == null ? "" : message);
            if (stated.find() && Integer.parseInt(stated.group(1)) == line) {
                column = Integer.parseInt(stated.group(2));
            }
        }
    }

    public record Compiled(KieBase kieBase, List<RuleError> errors) {

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private static final String RULES_PATH = "src/main/resources/rules/";

    /** @param files file name to DRL text, or to a decision table ({@code *.drl.csv}, see {@link DecisionTables}) */
    public Compiled compile(Map<String, String> files) {
        List<RuleError> tableErrors = new java.util.ArrayList<>();
        Map<String, String> drl = DecisionTables.expandAll(files, tableErrors);
        if (!tableErrors.isEmpty()) {
            return new Compiled(null, tableErrors);
        }
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("io.beacon.rules", "ruleset", "1.0.0-" + UUID.randomUUID());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        // A table's DRL is written as "<table>.drl" (so Drools reads it as DRL) and its errors name the table.
        drl.forEach((name, text) -> kfs.write(RULES_PATH + name + (DecisionTables.isTable(name) ? ".drl" : ""), text));
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll(DrlProject.class);
        List<RuleError> errors = builder.getResults().getMessages(Message.Level.ERROR).stream()
                .map(m -> new RuleError(m.getPath() == null ? null : m.getPath().replaceFirst("^(src/main/resources/)?rules/", "")
                        .replaceFirst("\\.drl\\.csv\\.drl$", DecisionTables.SUFFIX),
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
