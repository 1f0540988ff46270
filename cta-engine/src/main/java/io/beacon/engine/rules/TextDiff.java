package io.beacon.engine.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A line diff (longest common subsequence) of two texts, for showing what a rule version changed. */
public final class TextDiff {

    private TextDiff() {
    }

    /** Per file present in either map, its changed lines ("- old", "+ new"); unchanged files are left out. */
    public static Map<String, List<String>> files(Map<String, String> before, Map<String, String> after) {
        Map<String, List<String>> diffs = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            List<String> diff = lines(before.getOrDefault(name, ""), after.getOrDefault(name, ""));
            if (!diff.isEmpty()) {
                diffs.put(name, diff);
            }
        }
        return diffs;
    }

    /** The changed lines only, each as "-N text" or "+N text" with its line number in the old or new text. */
    public static List<String> lines(String before, String after) {
        String[] a = before.isEmpty() ? new String[0] : before.split("\n", -1);
        String[] b = after.isEmpty() ? new String[0] : after.split("\n", -1);
        int[][] common = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (j < b.length && (i == a.length || common[i][j + 1] >= common[i + 1][j])) {
                out.add("+" + (j + 1) + " " + b[j++]);
            } else {
                out.add("-" + (i + 1) + " " + a[i++]);
            }
        }
        return out;
    }
}
