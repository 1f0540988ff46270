package io.beacon.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Lost and duplicated counts per kind of outcome. */
final class LossReport {
    private final Map<String, long[]> lines = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final StringBuilder details = new StringBuilder();

    void count(String what, long value) {
        lines.put(what, new long[] { value });
        if (what.contains("lost") && value > 0) {
            problems.add(what + ": " + value);
        }
    }

    /** Expected vs actual multisets: lost = expected but missing, duplicated = more than expected. */
    void compare(String what, Map<String, Integer> expected, Map<String, Integer> actual) {
        long lost = 0;
        long duplicated = 0;
        long unexpected = 0;
        int shown = 0;
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            int want = expected.getOrDefault(key, 0);
            int got = actual.getOrDefault(key, 0);
            if (got < want) {
                lost += want - got;
            } else if (got > want && want > 0) {
                duplicated += got - want;
            } else if (got > want) {
                unexpected += got;
            }
            if (got != want && shown++ < 15) {
                details.append(what).append(": ").append(key).append(" expected ").append(want).append(", found ")
                        .append(got).append('\n');
            }
        }
        lines.put(what, new long[] { expected.values().stream().mapToLong(Integer::longValue).sum(), lost, duplicated,
                unexpected });
        if (lost + duplicated + unexpected > 0) {
            problems.add(what + ": lost " + lost + ", duplicated " + duplicated + ", unexpected " + unexpected);
        }
    }

    List<String> problems() {
        return problems;
    }

    String details() {
        return String.join("; ", problems) + "\n" + details;
    }

    void print(Map<String, Long> recoveries) {
        System.out.println("FaultSuiteIT: results");
        lines.forEach((what, v) -> System.out.println(v.length == 1
                ? String.format("  %-50s %,d", what, v[0])
                : String.format("  %-50s expected %,d  lost %d  duplicated %d  unexpected %d", what, v[0], v[1], v[2], v[3])));
        recoveries.forEach((what, ms) -> System.out.printf("  recovery: %-39s %,d ms%n", what, ms));
    }
}
