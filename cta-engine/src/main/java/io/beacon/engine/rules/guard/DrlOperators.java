package io.beacon.engine.rules.guard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a DRL condition into a Java expression of the same shape, so that JavaParser can read it:
 * a leading binding ({@code $n : openTickets}) is blanked, and DRL's word operators become Java
 * operators. Only the operators are rewritten; every operand stays where it was, so the check sees
 * every name the condition uses, at its column. String literals are left alone.
 */
final class DrlOperators {

    /** The stand-in for DRL's {@code in (a, b)}: a call to this name. */
    static final String IN = "$";

    private static final Pattern BINDING = Pattern.compile("^\\s*\\$?[A-Za-z_][\\w]*\\s*:=?(?!=)");
    private static final Pattern WORD_OPERATOR = Pattern.compile(
            "(?<![.\\w$])(not\\s+)?(contains|excludes|memberOf|matches|soundslike|str\\[\\w+\\])(?![\\w$])");
    private static final Pattern IN_LIST = Pattern.compile("(?<![.\\w$])(not\\s+)?in(\\s*)\\(");
    /** Temporal and other operators that make no sense on Beacon's facts. */
    private static final Pattern REFUSED = Pattern.compile("(?<![.\\w$])(after|before|coincides|during|finishes"
            + "|finishedby|includes|meets|metby|overlaps|overlappedby|starts|startedby)(?![\\w$(])");

    private DrlOperators() {
    }

    /** @return the Java form, or null when the condition uses an operator rules may not use */
    static String toJava(String condition) {
        StringBuilder out = new StringBuilder(condition.length() + 8);
        Matcher binding = BINDING.matcher(condition);
        int start = 0;
        if (binding.find()) {
            out.append(" ".repeat(binding.end()));
            start = binding.end();
        }
        int i = start;
        int code = start;
        while (i < condition.length()) {
            char c = condition.charAt(i);
            if (c == '"' || c == '\'') {
                String rewritten = rewrite(condition.substring(code, i));
                if (rewritten == null) {
                    return null;
                }
                out.append(rewritten);
                int end = endOfLiteral(condition, i, c);
                out.append(condition, i, end);
                i = end;
                code = end;
            } else {
                i++;
            }
        }
        String rewritten = rewrite(condition.substring(code));
        return rewritten == null ? null : out.append(rewritten).toString();
    }

    private static String rewrite(String code) {
        if (REFUSED.matcher(code).find()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        Matcher word = WORD_OPERATOR.matcher(code);
        while (word.find()) {
            String replacement = (word.group(1) == null ? "==" : "!=");
            word.appendReplacement(out, Matcher.quoteReplacement(
                    replacement + " ".repeat(word.group().length() - replacement.length())));
        }
        word.appendTail(out);
        StringBuilder in = new StringBuilder();
        Matcher list = IN_LIST.matcher(out);
        while (list.find()) {
            String operator = list.group(1) == null ? "==" : "!=";
            String replacement = operator + IN + "(";
            int padding = list.group().length() - replacement.length();
            list.appendReplacement(in, Matcher.quoteReplacement(padding > 0
                    ? operator + " ".repeat(padding) + IN + "(" : replacement));
        }
        list.appendTail(in);
        return in.toString();
    }

    /** @return the index just after the literal that starts at {@code from} */
    private static int endOfLiteral(String text, int from, char quote) {
        int i = from + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }
}
