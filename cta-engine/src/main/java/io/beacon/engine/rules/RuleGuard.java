package io.beacon.engine.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule file is code that runs inside the engine, so it may only use Beacon's rule model and the
 * harmless parts of the JDK. This check reads the DRL before it is compiled: imports outside
 * {@code io.beacon.engine.rules.model}, {@code java.lang}, {@code java.time} and {@code java.util}
 * (but not {@code java.util.concurrent}) are refused, and so is any mention of process, thread,
 * reflection, file or network APIs, by simple or qualified name. Comments and string literals are
 * not code and are skipped, so a rule may still say "System" in an explanation.
 */
public final class RuleGuard {

    private static final List<String> ALLOWED_IMPORTS = List.of("io.beacon.engine.rules.model.", "java.lang.",
            "java.time.", "java.util.");

    private static final List<String> FORBIDDEN_IMPORTS = List.of("java.lang.reflect.", "java.lang.invoke.",
            "java.lang.ref.", "java.lang.management.", "java.util.concurrent.", "java.util.logging.",
            "java.lang.System", "java.lang.Runtime", "java.lang.Thread", "java.lang.Process", "java.lang.ClassLoader");

    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+|function\\s+)?([\\w.*]+)\\s*;?");

    private static final Pattern FORBIDDEN_NAME = Pattern.compile("\\b(System|Runtime|Thread|ThreadGroup|ThreadLocal"
            + "|ProcessBuilder|ProcessHandle|Process|ClassLoader|Class|Method|Field|Constructor|MethodHandles?"
            + "|Unsafe|File|Files|Path|Paths|FileSystems?|RandomAccessFile|(?:File)?(?:Input|Output)Stream"
            + "|Socket|ServerSocket|DatagramSocket|URL|URLConnection|HttpURLConnection|HttpClient|InetAddress"
            + "|Executors?|ExecutorService|ForkJoinPool|CompletableFuture|Timer|ScriptEngine(?:Manager)?)\\b");

    private static final Pattern FORBIDDEN_QUALIFIED = Pattern.compile("\\b(java\\.(?:io|nio|net|lang\\.reflect"
            + "|lang\\.invoke|util\\.concurrent)|javax|jakarta|sun|com\\.sun|jdk|org|io\\.(?!beacon\\.engine\\.rules\\.model))\\.");

    private static final Pattern FORBIDDEN_CALL = Pattern.compile("\\.(getClass|forName|getDeclared\\w*|setAccessible"
            + "|newInstance|invoke|exec|exit|halt|getRuntime)\\s*\\(");

    private RuleGuard() {
    }

    /** @return every offending place, empty when the files are within bounds */
    public static List<RuleCompiler.RuleError> check(Map<String, String> files) {
        List<RuleCompiler.RuleError> errors = new ArrayList<>();
        files.forEach((file, drl) -> check(file, drl, errors));
        return errors;
    }

    private static void check(String file, String drl, List<RuleCompiler.RuleError> errors) {
        String[] lines = codeOnly(drl).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNumber = i + 1;
            if (line.stripLeading().startsWith("package ")) {
                continue;
            }
            Matcher imported = IMPORT.matcher(line);
            if (imported.find()) {
                String name = imported.group(1);
                if (ALLOWED_IMPORTS.stream().noneMatch(name::startsWith)
                        || FORBIDDEN_IMPORTS.stream().anyMatch(name::startsWith)) {
                    errors.add(new RuleCompiler.RuleError(file, lineNumber, imported.start(1) + 1,
                            "import of " + name + " is not allowed: rules may import only Beacon's rule model "
                                    + "(io.beacon.engine.rules.model), java.lang, java.time and java.util"));
                }
                continue;
            }
            report(FORBIDDEN_QUALIFIED.matcher(line), file, lineNumber, errors,
                    name -> name + " is outside what rules may use (Beacon's rule model, java.lang, java.time, java.util)");
            report(FORBIDDEN_NAME.matcher(line), file, lineNumber, errors,
                    name -> name + " is not allowed in rules: process, thread, reflection, file and network APIs are off limits");
            report(FORBIDDEN_CALL.matcher(line), file, lineNumber, errors,
                    name -> name + "(...) is not allowed in rules: reflection and process control are off limits");
        }
    }

    private static void report(Matcher matcher, String file, int line, List<RuleCompiler.RuleError> errors,
            java.util.function.Function<String, String> message) {
        while (matcher.find()) {
            errors.add(new RuleCompiler.RuleError(file, line, matcher.start(1) + 1, message.apply(matcher.group(1))));
        }
    }

    /**
     * The DRL with comments and string literals blanked out (same length, newlines kept), so line
     * and column numbers still point into the original file.
     */
    static String codeOnly(String drl) {
        StringBuilder out = new StringBuilder(drl.length());
        int i = 0;
        while (i < drl.length()) {
            char c = drl.charAt(i);
            if (c == '/' && i + 1 < drl.length() && drl.charAt(i + 1) == '/') {
                while (i < drl.length() && drl.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < drl.length() && drl.charAt(i + 1) == '*') {
                int end = drl.indexOf("*/", i + 2);
                end = end < 0 ? drl.length() : end + 2;
                for (; i < end; i++) {
                    out.append(drl.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (c == '"') {
                out.append('"');
                i++;
                while (i < drl.length() && drl.charAt(i) != '"' && drl.charAt(i) != '\n') {
                    out.append(drl.charAt(i) == '\\' && i + 1 < drl.length() ? "  " : " ");
                    i += drl.charAt(i) == '\\' ? 2 : 1;
                }
                if (i < drl.length() && drl.charAt(i) == '"') {
                    out.append('"');
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
