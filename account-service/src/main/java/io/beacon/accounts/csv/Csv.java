package io.beacon.accounts.csv;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: comma-separated, fields optionally in double quotes, "" for a quote inside one. */
public final class Csv {

    private Csv() {
    }

    /** A parsed line with the line number it starts on (1-based), for error reports. */
    public record Row(int line, List<String> fields) {
    }

    public static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int rowLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                        char next = i + 1 < text.length() ? text.charAt(i + 1) : '\n';
                        if (next != ',' && next != '\n' && next != '\r') {
                            throw new IllegalArgumentException("line " + line + ": a quoted field must end at its "
                                    + "closing quote, but '" + next + "' follows it");
                        }
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
                fieldStarted = true;
            } else if (c == '"') {
                throw new IllegalArgumentException("line " + line + ": a quote inside an unquoted field; quote the "
                        + "whole field and double the quote (\"\")");
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (fieldStarted || field.length() > 0 || !fields.isEmpty()) {
                    fields.add(field.toString());
                    rows.add(new Row(rowLine, List.copyOf(fields)));
                }
                fields.clear();
                field.setLength(0);
                fieldStarted = false;
                line++;
                rowLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + rowLine + ": a quoted field is never closed");
        }
        if (fieldStarted || field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }

    public static String line(List<String> values) {
        List<String> escaped = new ArrayList<>(values.size());
        for (String value : values) {
            String v = value == null ? "" : value;
            boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r");
            escaped.add(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
        }
        return String.join(",", escaped) + "\n";
    }
}
