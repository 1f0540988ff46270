package io.beacon.engine.rules;

import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.OpenCta;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleGuardTest {

    private static final String HEADER = """
            package io.beacon.rules.x;
            import io.beacon.engine.rules.model.*;
            import io.beacon.contracts.Segment;
            import java.util.List;
            global Decisions decisions;
            """;

    /** Line numbers in the cases below count from the first line after {@link #HEADER}. */
    private static final int FIRST = HEADER.split("\n").length + 1;

    private static List<RuleCompiler.RuleError> check(String drl) {
        return RuleGuard.check(Map.of("r.drl", drl));
    }

    private static String rule(String when, String then) {
        return HEADER + "rule \"R\"\nwhen\n" + when + "\nthen\n" + then + "\nend\n";
    }

    @Test
    void theDefaultRulesAreWithinBounds() {
        assertThat(RuleGuard.check(RuleSource.fromDirectory(Path.of("..", "seeds", "rules")).files())).isEmpty();
    }

    @Test
    void ordinaryRuleCodeIsAcceptedAndCompiles() {
        String drl = HEADER + """
                import java.time.LocalDate;
                import java.util.ArrayList;

                declare Watch
                    reason : String = "watch"
                    level  : int
                end

                function String label(String prefix, int n) {
                    return prefix + "-" + Math.max(n, 0);
                }

                rule "Everything an ops person writes"
                    salience 10
                when
                    $account : AccountFact( segment in (Segment.MARS, Segment.VENUS), id matches "acct-.*" )
                    $stats   : AccountStats( $open : openTickets > 2, openTicketIds contains "T-1",
                                             openTicketIds.size() >= 1, this != null )
                    $ids     : List() from collect( OpenCta( type == "RISK" ) )
                    $count   : Number( doubleValue() >= 0 ) from accumulate( OpenCta( $t : type ), count( $t ) )
                    $id      : String() from $stats.getOpenTicketIds()
                    not OpenCta( reason == "support-risk", status not in ("SNOOZED") )
                    eval( $open > 2 && $account.getRenewalDate() == null || LocalDate.of(2026, 1, 1).isLeapYear() )
                then
                    List<String> ids = new ArrayList<>();
                    for (String ticket : $stats.getOpenTicketIds()) {
                        if (ticket.startsWith("T-")) {
                            ids.add(ticket.toUpperCase());
                        }
                    }
                    var days = java.time.Duration.ofDays(3).toDays();
                    decisions.raise("RISK", label("x", $open), drools.getRule().getName())
                        .priority($open > 5 ? "HIGH" : "MEDIUM")
                        .dueInDays((int) days)
                        .explain("ids", ids)
                        .explain("segment", $account.getSegment().name());
                end
                """;
        assertThat(check(drl)).isEmpty();
        assertThat(new RuleCompiler().compile(Map.of("r.drl", drl)).errors()).isEmpty();
    }

    /** Each way an ops person could try to run code the engine should not: refused at its line. */
    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("a unicode-escaped quote hides code inside a string", rule("",
                        "decisions.raise(\"RISK\", \"x\\u0022 + new java.io.File(\\u0022/tmp/m\\u0022).createNewFile() + \\u0022\", \"R\");"),
                        5),
                Arguments.of("a unicode-escaped newline ends a comment", rule("",
                        "// \\u000a new java.io.File(\"/tmp/m\").createNewFile();"), 5),
                Arguments.of("java.util.Formatter creates files", rule("", "new java.util.Formatter(\"/tmp/m\");"), 5),
                Arguments.of("a logging FileHandler truncates files",
                        rule("", "new java.util.logging.FileHandler(\"/tmp/m\");"), 5),
                Arguments.of("StackWalker", rule("", "StackWalker.getInstance().getCallerClass();"), 5),
                Arguments.of("module layers reach class loaders",
                        rule("", "ModuleLayer.boot().findLoader(\"java.base\");"), 5),
                Arguments.of("MVEL property access to a class",
                        rule("AccountStats( decisions.class.classLoader != null )", ""), 3),
                Arguments.of("MVEL property access to a class loader",
                        rule("AccountStats( this.class.classLoader != null )", ""), 3),
                Arguments.of("reflection through getClass",
                        rule("", "decisions.getClass().getClassLoader().loadClass(\"java.io.File\");"), 5),
                Arguments.of("a class name split into strings",
                        rule("", "String n = \"java.io.\" + \"File\"; Class.forName(n);"), 5),
                Arguments.of("method handles",
                        rule("", "java.lang.invoke.MethodHandles.lookup();"), 5),
                Arguments.of("an enum's declaring class", rule("$a : AccountFact()",
                        "$a.getSegment().getDeclaringClass().getClassLoader();"), 5),
                Arguments.of("the process API", rule("", "Runtime.getRuntime().exec(\"touch /tmp/m\");"), 5),
                Arguments.of("System.exit", rule("", "System.exit(1);"), 5),
                Arguments.of("threads", rule("", "Thread.currentThread().interrupt();"), 5),
                Arguments.of("a scanner over a file", rule("", "new java.util.Scanner(java.nio.file.Path.of(\"/etc/passwd\"));"), 5),
                Arguments.of("service loaders", rule("", "java.util.ServiceLoader.load(Runnable.class);"), 5),
                Arguments.of("script engines", rule("", "new javax.script.ScriptEngineManager();"), 5),
                Arguments.of("the Drools session", rule("", "drools.getKieRuntime().halt();"), 5),
                Arguments.of("the Drools context", rule("", "kcontext.getKieRuntime().getKieBase();"), 5),
                Arguments.of("the wall clock", rule("", "decisions.raise(\"R\", java.time.Instant.now().toString(), \"R\");"), 5),
                Arguments.of("system properties", rule("", "Integer.getInteger(\"user.home\");"), 5),
                Arguments.of("a loop that may not end", rule("", "while (true) { }"), 5),
                Arguments.of("a lambda", rule("", "List.of(1).forEach(x -> System.exit(1));"), 5),
                Arguments.of("an anonymous class", rule("", "new Object() { };"), 5),
                Arguments.of("a function body", HEADER + """
                        function void evil() {
                            new java.io.File("/tmp/m").createNewFile();
                        }
                        """, 2),
                Arguments.of("a from expression", rule("$n : String() from new java.io.File(\"/tmp/m\").getName()", ""), 3),
                Arguments.of("an accumulate argument", rule(
                        "$s : Number() from accumulate( AccountStats( $n : openTickets ), sum( Runtime.getRuntime().availableProcessors() ) )",
                        ""), 3),
                Arguments.of("an eval", rule("eval( new java.io.File(\"/tmp/m\").createNewFile() )", ""), 3),
                Arguments.of("a declared type's field", HEADER + "declare Evil\n    f : java.io.File\nend\n", 2),
                Arguments.of("a declared type's initialiser", HEADER
                        + "declare Evil\n    f : String = new java.io.File(\"/tmp/m\").getName()\nend\n", 2),
                Arguments.of("an imported function", HEADER + "import function java.lang.System.exit;\n", 1),
                Arguments.of("a wildcard import", HEADER + "import java.util.*;\n", 1),
                Arguments.of("a query with a parameter of any type", HEADER + "query q(java.io.File f)\n    AccountStats()\nend\n", 1),
                Arguments.of("an MVEL consequence", HEADER
                        + "rule \"M\" dialect \"mvel\"\nwhen\nthen\n    decisions.raise(\"R\", \"r\", \"M\");\nend\n", 1),
                Arguments.of("an expression as salience", HEADER
                        + "rule \"S\" salience ( new java.io.File(\"/tmp/m\").createNewFile() ? 1 : 0 )\nwhen\nthen\nend\n",
                        1),
                Arguments.of("a text block", rule("", "String s = \"\"\"\n    x\"\"\";"), 5),
                Arguments.of("a custom accumulate", rule(
                        "$s : Number() from accumulate( AccountStats(), init( int x = 0; ), action( x++; ), result( x ) )",
                        ""), 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void codeOutsideTheAllowListIsRefusedAtItsLine(String description, String drl, int line) {
        List<RuleCompiler.RuleError> errors = check(drl);
        assertThat(errors).as(description).isNotEmpty();
        assertThat(errors).as(description).extracting(RuleCompiler.RuleError::line).contains(FIRST + line - 1);
        assertThat(errors).allSatisfy(e -> assertThat(e.file()).isEqualTo("r.drl"));
    }

    @Test
    void aRefusalNamesWhatIsWrongAndWhere() {
        List<RuleCompiler.RuleError> errors = check(HEADER + """
                rule "Bad"
                when
                then
                    java.nio.file.Files.delete(null);
                    decisions.getClass();
                end
                """);
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).satisfies(e -> {
            assertThat(e.line()).isEqualTo(FIRST + 3);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.message()).startsWith("java.nio.file.Files is not something rules may use");
        });
        assertThat(errors.get(1)).satisfies(e -> {
            assertThat(e.line()).isEqualTo(FIRST + 4);
            assertThat(e.column()).isEqualTo(15);
            assertThat(e.message()).startsWith("getClass(...) is not allowed in rules");
        });
    }

    @Test
    void importsAreLimitedToTheRuleModelAndHarmlessJdkTypes() {
        List<RuleCompiler.RuleError> errors = check("""
                package io.beacon.rules.x;
                import io.beacon.engine.rules.model.Params;
                import java.util.List;
                import java.time.Duration;
                import java.util.concurrent.Executors;
                import java.lang.reflect.Method;
                import org.kie.api.runtime.KieSession;
                """);
        assertThat(errors).extracting(RuleCompiler.RuleError::line).containsExactly(5, 6, 7);
        assertThat(errors.get(0).column()).isEqualTo(8);
        assertThat(errors.get(0).message()).startsWith("import of java.util.concurrent.Executors is not allowed");
    }

    @Test
    void wordsInCommentsAndStringsAreNotCode() {
        assertThat(check(HEADER + """
                // System and Runtime are mentioned here only
                rule "Fine" /* Thread */
                when
                then
                    decisions.raise("RISK", "System outage", "Fine").explain("source", "java.io.File");
                end
                """)).isEmpty();
    }

    @Test
    void ruleFilesStayInTheRulePackages() {
        assertThat(check("package io.beacon.engine.rules;\n")).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("package io.beacon.engine.rules is not allowed"));
    }

    @Test
    void unreadableCodeIsRefusedNotSkipped() {
        List<RuleCompiler.RuleError> errors = check(rule("AccountStats( openTickets > 3 && < 10 )", ""));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(FIRST + 2);
            assertThat(e.message()).contains("the rule check can read");
        });
    }
}
