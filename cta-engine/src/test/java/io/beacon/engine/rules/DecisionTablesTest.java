package io.beacon.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Segment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Decision tables as ops meet them: the shipped table ruleset decides as the DRL one for any
 * account, a cell holding anything but a value of its column's type is refused at its line and
 * column, the template's lines cannot be edited, and a diff names the changed rows and cells.
 */
class DecisionTablesTest {

    private static final Path DRL_RULES = Path.of("..", "seeds", "rules");
    private static final Path TABLE_RULES = Path.of("..", "seeds", "rules-tables");
    private static Ruleset drl;
    private static Ruleset tables;
    private static RuleCompiler.Compiled drlCompiled;
    private static RuleCompiler.Compiled tablesCompiled;
    private static String supportRiskTable;

    @BeforeAll
    static void compile() throws Exception {
        drl = ActiveRuleset.fromDirectory(DRL_RULES);
        tables = ActiveRuleset.fromDirectory(TABLE_RULES);
        drlCompiled = new RuleCompiler().compile(drl.files());
        tablesCompiled = new RuleCompiler().compile(tables.files());
        assertThat(tablesCompiled.errors()).isEmpty();
        supportRiskTable = Files.readString(TABLE_RULES.resolve("support-risk.drl.csv"));
    }

    @Test
    void theTableRulesetValidatesWithEveryScenarioOfTheDefaultRules() {
        RuleValidator.Report report = new RuleValidator(new RuleCompiler(), new ObjectMapper().findAndRegisterModules())
                .validate(RuleSource.fromDirectory(TABLE_RULES), 1);
        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.scenarios()).hasSizeGreaterThan(10);
        assertThat(report.warnings()).noneMatch(w -> w.contains("is not read by any rule"));
    }

    @Property(tries = 300)
    void theTablesDecideAsTheDrlForAnyAccount(@ForAll Segment segment, @ForAll @IntRange(max = 9) int openTickets,
            @ForAll @IntRange(max = 2) int openUrgent, @ForAll @IntRange(max = 2) int openHigh,
            @ForAll @IntRange(min = -5, max = 200) int renewalInDays, @ForAll boolean supportRiskOpen,
            @ForAll @IntRange(max = 20) int supportRiskAge, @ForAll boolean urgentOpen) {
        List<Scenario.Cta> open = new ArrayList<>();
        if (supportRiskOpen) {
            open.add(new Scenario.Cta("RISK", "support-risk", "OPEN", supportRiskAge, false));
        }
        if (urgentOpen) {
            open.add(new Scenario.Cta("RISK", "urgent-ticket", "OPEN", 0, true));
        }
        Scenario scenario = new Scenario("generated", null, new Scenario.Account(segment, "csm-1",
                LocalDate.of(2026, 11, 1).plusDays(renewalInDays)),
                new Scenario.Stats(openTickets, openUrgent, openHigh, 0, 0, 0, 0), open, List.of());
        assertThat(decisions(tablesCompiled, tables, scenario)).isEqualTo(decisions(drlCompiled, drl, scenario));
    }

    private static List<String> decisions(RuleCompiler.Compiled compiled, Ruleset ruleset, Scenario scenario) {
        ScenarioRunner.Outcome outcome = ScenarioRunner.run(compiled.kieBase(), ruleset.params(), scenario);
        assertThat(outcome.failure()).isNull();
        return outcome.actual().stream().map(Object::toString).sorted(Comparator.naturalOrder()).toList();
    }

    @Test
    void aCellHoldingCodeOrAnUnknownSegmentIsRefusedAtItsLineAndColumn() {
        String code = supportRiskTable.replace("SupportRisk MARS,MARS,5,", "SupportRisk MARS,MARS,\"5); System.exit(0); (1\",");
        RuleCompiler.RuleError error = only(code);
        assertThat(error.file()).isEqualTo("support-risk.drl.csv");
        assertThat(error.line()).isEqualTo(10);
        assertThat(error.column()).isEqualTo(3);
        assertThat(error.message()).contains("row 'SupportRisk MARS'").contains("Open tickets at least")
                .contains("not a whole number");

        error = only(supportRiskTable.replace("SupportRisk VENUS,VENUS,", "SupportRisk VENUS,PLUTO,"));
        assertThat(error.line()).isEqualTo(11);
        assertThat(error.column()).isEqualTo(2);
        assertThat(error.message()).contains("'PLUTO' is not a segment");

        error = only(supportRiskTable.replace("SupportRisk JUPITER,JUPITER,5,HIGH,3", "SupportRisk JUPITER,JUPITER,5,URGENT,3"));
        assertThat(error.line()).isEqualTo(12);
        assertThat(error.column()).isEqualTo(4);

        error = only(supportRiskTable.replace("SupportRisk JUPITER,JUPITER,5,HIGH,3", "SupportRisk JUPITER,JUPITER,5,HIGH,3,x"));
        assertThat(error.message()).contains("has 6 cells; the table has 5 columns");

        error = only(supportRiskTable.replace("SupportRisk JUPITER,", "SupportRisk MARS,"));
        assertThat(error.message()).contains("used twice");

        // Values in a spreadsheet's own spelling are fine: spaces, lower case.
        assertThat(DecisionTables.expand("support-risk.drl.csv",
                supportRiskTable.replace("SupportRisk MARS,MARS,5,HIGH,3", "SupportRisk MARS, mars , 3 ,high, 3")).errors()).isEmpty();
    }

    @Test
    void theTemplateLinesCannotBeEdited() {
        RuleCompiler.RuleError error = only(supportRiskTable.replace("openTickets >= $param", "openTickets >= $param || true"));
        assertThat(error.line()).isEqualTo(7);
        assertThat(error.column()).isEqualTo(3);
        assertThat(error.message()).contains("come from the template 'support-risk'");

        error = only(supportRiskTable.replace("RuleTable Support risk", "RuleTable Anything"));
        assertThat(error.message()).contains("'RuleTable Anything' is not a template");

        error = only(supportRiskTable.replace("io.beacon.contracts.Segment\"", "io.beacon.contracts.Segment, java.lang.System\""));
        assertThat(error.line()).isEqualTo(2);
    }

    @Test
    void theGuardAndTheCompilerSeeTheTablesRulesAsDrl() {
        RuleCompiler.Compiled compiled = new RuleCompiler().compile(Map.of("support-risk.drl.csv", supportRiskTable));
        assertThat(compiled.errors()).isEmpty();
        assertThat(RuleValidatorNames.of(compiled)).contains("SupportRisk MARS", "SupportRisk JUPITER");
        String generated = DecisionTables.expand("support-risk.drl.csv", supportRiskTable).drl();
        assertThat(RuleGuard.check(Map.of("support-risk.drl.csv", generated))).isEmpty();
        assertThat(generated).contains("openTickets >= 5").contains("Segment.MARS").doesNotContain("$param");
    }

    @Test
    void aDiffNamesTheChangedRowsAndCells() {
        String three = supportRiskTable.replace("SupportRisk MARS,MARS,5,", "SupportRisk MARS,MARS,3,");
        assertThat(DecisionTables.diff("support-risk.drl.csv", supportRiskTable, three))
                .containsExactly("row 'SupportRisk MARS': Open tickets at least 5 → 3");
        String added = supportRiskTable + "SupportRisk MARS critical,MARS,8,CRITICAL,1\n";
        assertThat(DecisionTables.diff("support-risk.drl.csv", supportRiskTable, added))
                .containsExactly("+ row 'SupportRisk MARS critical': Segment MARS, Open tickets at least 8, Priority CRITICAL, Due in days 1");
    }

    private static RuleCompiler.RuleError only(String table) {
        DecisionTables.Expansion expansion = DecisionTables.expand("support-risk.drl.csv", table);
        assertThat(expansion.drl()).isNull();
        assertThat(expansion.errors()).hasSize(1);
        return expansion.errors().get(0);
    }

    /** The rule names of a compiled ruleset. */
    static final class RuleValidatorNames {
        static List<String> of(RuleCompiler.Compiled compiled) {
            List<String> names = new ArrayList<>();
            compiled.kieBase().getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getName())));
            return names;
        }
    }
}
