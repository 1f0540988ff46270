package io.beacon.engine.rules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import io.beacon.contracts.Segment;

/**
 * Rules as tables: a {@code *.drl.csv} file is a Drools decision table (CSV) whose lines above the
 * column titles — package, imports, the rule's conditions and actions as code — are one of the
 * templates developers maintain ({@code decision-tables/} in the engine), line for line; ops write
 * only the rows below. Every cell of a row is a typed value, the type named in its column title
 * ({@code Open tickets at least [COUNT]}): a row name, a segment, a whole number of tickets or days,
 * a priority. A cell is checked against its type and written back in its plain form before Drools
 * sees the table, so no cell can carry code, and the DRL the table makes holds only the template's
 * code — the guard checks it all the same.
 */
public final class DecisionTables {

    /** The file names ops give tables. */
    public static final String SUFFIX = ".drl.csv";

    /** A column title's type: {@code Segment [SEGMENT]}. */
    private static final Pattern TYPED_TITLE = Pattern.compile("^(.*?)\\s*\\[([A-Z]+)]$");
    private static final Pattern ROW_NAME = Pattern.compile("[\\p{L}\\p{N} _.-]{1,80}");
    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,9}");
    private static final List<String> PRIORITIES = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    /** A template: its name, the lines of its header (cells trimmed) and its columns' titles and types. */
    record Template(String name, String ruleTable, List<List<String>> header, List<String> titles, List<String> types) {
    }

    private static final List<Template> TEMPLATES = loadTemplates();

    private DecisionTables() {
    }

    public static boolean isTable(String file) {
        return file.endsWith(SUFFIX);
    }

    /** What a table makes: its DRL, or the errors at their line and column (then no DRL). */
    public record Expansion(String drl, List<RuleCompiler.RuleError> errors) {
    }

    /** The files with every table replaced by the DRL it makes; a table with errors is left out and its errors added. */
    public static Map<String, String> expandAll(Map<String, String> files, List<RuleCompiler.RuleError> errors) {
        Map<String, String> drl = new LinkedHashMap<>();
        files.forEach((file, text) -> {
            if (!isTable(file)) {
                drl.put(file, text);
                return;
            }
            Expansion expansion = expand(file, text);
            if (expansion.errors().isEmpty()) {
                drl.put(file, expansion.drl());
            } else {
                errors.addAll(expansion.errors());
            }
        });
        return drl;
    }

    /** A parsed table: its template and its rows (cells in their plain form), each with its line. */
    record Table(Template template, List<Row> rows) {
    }

    record Row(int line, List<String> cells) {
    }

    public static Expansion expand(String file, String text) {
        List<RuleCompiler.RuleError> errors = new ArrayList<>();
        Table table = parse(file, text, errors);
        if (!errors.isEmpty()) {
            return new Expansion(null, errors);
        }
        StringBuilder csv = new StringBuilder();
        table.template().header().forEach(cells -> csv.append(line(cells)).append('\n'));
        table.rows().forEach(row -> csv.append(line(row.cells())).append('\n'));
        try (InputStream in = new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8))) {
            String drl = new SpreadsheetCompiler().compile(in, InputType.CSV);
            return new Expansion(drl, List.of());
        } catch (IOException | RuntimeException e) {
            return new Expansion(null, List.of(new RuleCompiler.RuleError(file, 0, 0,
                    "the table could not be turned into rules: " + e.getMessage())));
        }
    }

    static Table parse(String file, String text, List<RuleCompiler.RuleError> errors) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            try {
                cells.add(cells(lines[i]));
            } catch (RuntimeException e) {
                errors.add(new RuleCompiler.RuleError(file, i + 1, 1, "line " + (i + 1)
                        + " is not one CSV line (a cell may not hold a line break): " + e.getMessage()));
                return null;
            }
        }
        Template template = template(file, cells, errors);
        if (template == null) {
            return null;
        }
        int first = template.header().size();
        List<Row> rows = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean ended = false;
        for (int i = first; i < cells.size(); i++) {
            List<String> row = cells.get(i);
            int line = i + 1;
            if (row.isEmpty()) {
                ended = true;
                continue;
            }
            if (ended) {
                errors.add(new RuleCompiler.RuleError(file, line, 1, "line " + line
                        + ": a table ends at its first empty line; remove the empty line above or this one"));
                continue;
            }
            if (row.size() > template.titles().size()) {
                errors.add(new RuleCompiler.RuleError(file, line, template.titles().size() + 1, "line " + line + " has "
                        + row.size() + " cells; the table has " + template.titles().size() + " columns ("
                        + String.join(", ", template.titles()) + ")"));
                continue;
            }
            List<String> plain = new ArrayList<>();
            for (int c = 0; c < template.titles().size(); c++) {
                String cell = c < row.size() ? row.get(c) : "";
                String value = typed(template.types().get(c), cell);
                String where = "line " + line + (plain.isEmpty() ? "" : " (row '" + plain.get(0) + "')") + ", column "
                        + column(c) + " '" + template.titles().get(c) + "': ";
                if (value == null) {
                    errors.add(new RuleCompiler.RuleError(file, line, c + 1, where + expected(template.types().get(c), cell)));
                    plain.add(cell);
                } else if (c == 0 && !names.add(value)) {
                    errors.add(new RuleCompiler.RuleError(file, line, 1, where + "the row name '" + value
                            + "' is used twice; every row needs its own"));
                    plain.add(value);
                } else {
                    plain.add(value);
                }
            }
            rows.add(new Row(line, plain));
        }
        if (rows.isEmpty() && errors.isEmpty()) {
            errors.add(new RuleCompiler.RuleError(file, first + 1, 1, "the table has no rows below its column titles"));
        }
        return errors.isEmpty() ? new Table(template, rows) : null;
    }

    /** The template whose header the table starts with; else an error at the first line that differs. */
    private static Template template(String file, List<List<String>> cells, List<RuleCompiler.RuleError> errors) {
        String ruleTable = cells.stream().filter(r -> !r.isEmpty() && r.get(0).startsWith("RuleTable"))
                .map(r -> r.get(0)).findFirst().orElse(null);
        Template template = TEMPLATES.stream().filter(t -> t.ruleTable().equals(ruleTable)).findFirst().orElse(null);
        if (template == null) {
            List<String> known = TEMPLATES.stream().map(Template::ruleTable).toList();
            errors.add(new RuleCompiler.RuleError(file, 1, 1, (ruleTable == null ? "the table has no 'RuleTable' line"
                    : "'" + ruleTable + "' is not a template") + "; a table starts with the lines of one of the templates: "
                    + known));
            return null;
        }
        for (int i = 0; i < template.header().size(); i++) {
            List<String> expected = template.header().get(i);
            List<String> actual = i < cells.size() ? cells.get(i) : List.of();
            for (int c = 0; c < Math.max(expected.size(), actual.size()); c++) {
                String want = c < expected.size() ? expected.get(c) : "";
                String have = c < actual.size() ? actual.get(c) : "";
                if (!want.equals(have)) {
                    errors.add(new RuleCompiler.RuleError(file, i + 1, c + 1, "line " + (i + 1) + ", column " + column(c)
                            + ": the lines above the column titles come from the template '" + template.name()
                            + "' and cannot be changed in a table (expected '" + abbreviate(want) + "', found '"
                            + abbreviate(have) + "'); change the rows below them"));
                    return null;
                }
            }
        }
        return template;
    }

    /** The cell in its plain form if it is a value of the type, else null. */
    static String typed(String type, String cell) {
        String value = cell.trim();
        switch (type) {
            case "NAME":
                return ROW_NAME.matcher(value).matches() ? value : null;
            case "SEGMENT":
                try {
                    return Segment.valueOf(value.toUpperCase(Locale.ROOT)).name();
                } catch (IllegalArgumentException e) {
                    return null;
                }
            case "PRIORITY":
                return PRIORITIES.contains(value.toUpperCase(Locale.ROOT)) ? value.toUpperCase(Locale.ROOT) : null;
            case "COUNT":
                return WHOLE.matcher(value).matches() && Integer.parseInt(value) <= 1_000_000
                        ? String.valueOf(Integer.parseInt(value)) : null;
            case "DAYS":
                return WHOLE.matcher(value).matches() && Integer.parseInt(value) <= 3650
                        ? String.valueOf(Integer.parseInt(value)) : null;
            default:
                throw new IllegalStateException("unknown cell type " + type);
        }
    }

    private static String expected(String type, String cell) {
        String found = cell.isBlank() ? "the cell is empty" : "'" + abbreviate(cell.trim()) + "'";
        return switch (type) {
            case "NAME" -> found + " is not a row name (letters, digits, spaces, . _ -; at most 80)";
            case "SEGMENT" -> found + " is not a segment: MERCURY, MARS, VENUS or JUPITER";
            case "PRIORITY" -> found + " is not a priority: LOW, MEDIUM, HIGH or CRITICAL";
            case "COUNT" -> found + " is not a whole number from 0 to 1,000,000";
            case "DAYS" -> found + " is not a whole number of days from 0 to 3,650";
            default -> found + " is not a " + type;
        };
    }

    /**
     * What changed between two versions of a table, row by row (rows are known by their name):
     * "row 'SupportRisk MARS': Open tickets at least 5 → 3", added and removed rows. Null when either
     * side is not a readable table (the line diff still shows it).
     */
    public static List<String> diff(String file, String before, String after) {
        Table old = before == null || before.isEmpty() ? null : parse(file, before, new ArrayList<>());
        Table now = after == null || after.isEmpty() ? null : parse(file, after, new ArrayList<>());
        if ((before != null && !before.isEmpty() && old == null) || (after != null && !after.isEmpty() && now == null)) {
            return null;
        }
        Map<String, List<String>> oldRows = rows(old);
        Map<String, List<String>> newRows = rows(now);
        List<String> titles = (now != null ? now : old).template().titles();
        List<String> changes = new ArrayList<>();
        for (String name : new TreeSet<>(oldRows.keySet())) {
            List<String> a = oldRows.get(name);
            List<String> b = newRows.get(name);
            if (b == null) {
                changes.add("- row '" + name + "': " + describe(titles, a));
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (int c = 1; c < titles.size(); c++) {
                if (!a.get(c).equals(b.get(c))) {
                    cells.add(titles.get(c) + " " + a.get(c) + " → " + b.get(c));
                }
            }
            if (!cells.isEmpty()) {
                changes.add("row '" + name + "': " + String.join(", ", cells));
            }
        }
        newRows.keySet().stream().filter(name -> !oldRows.containsKey(name)).sorted()
                .forEach(name -> changes.add("+ row '" + name + "': " + describe(titles, newRows.get(name))));
        return changes;
    }

    private static Map<String, List<String>> rows(Table table) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        if (table != null) {
            table.rows().forEach(row -> rows.put(row.cells().get(0), row.cells()));
        }
        return rows;
    }

    private static String describe(List<String> titles, List<String> cells) {
        List<String> parts = new ArrayList<>();
        for (int c = 1; c < titles.size(); c++) {
            parts.add(titles.get(c) + " " + cells.get(c));
        }
        return String.join(", ", parts);
    }

    /** The names of the templates, for docs and errors. */
    public static List<String> templates() {
        return TEMPLATES.stream().map(Template::name).toList();
    }

    private static List<String> cells(String line) {
        if (line.isBlank()) {
            return List.of();
        }
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(line)) {
            List<String> cells = new ArrayList<>();
            if (rows.hasNext()) {
                for (String cell : rows.next()) {
                    cells.add(cell == null ? "" : cell.trim());
                }
            }
            if (rows.hasNext()) {
                throw new IllegalArgumentException("a quoted cell is not closed");
            }
            while (!cells.isEmpty() && cells.get(cells.size() - 1).isEmpty()) {
                cells.remove(cells.size() - 1);
            }
            return cells;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            quoted.add(cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
        }
        return String.join(",", quoted);
    }

    private static String column(int index) {
        return String.valueOf((char) ('A' + index));
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static List<Template> loadTemplates() {
        Properties index = new Properties();
        try {
            index.load(new StringReader(resource("templates.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Template> templates = new ArrayList<>();
        for (String name : index.getProperty("templates", "").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            List<List<String>> header = new ArrayList<>();
            for (String line : resource(name.trim()).split("\n")) {
                if (!line.isBlank()) {
                    header.add(cells(line));
                }
            }
            List<String> last = header.get(header.size() - 1);
            List<String> titles = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (String title : last) {
                Matcher typed = TYPED_TITLE.matcher(title);
                if (!typed.matches()) {
                    throw new IllegalStateException("template " + name + ": column title '" + title + "' names no [TYPE]");
                }
                titles.add(typed.group(1));
                types.add(typed.group(2));
                typed("NAME".equals(typed.group(2)) ? "NAME" : typed.group(2), "x"); // an unknown type fails here
            }
            String ruleTable = header.stream().filter(r -> !r.isEmpty() && r.get(0).startsWith("RuleTable")).map(r -> r.get(0))
                    .findFirst().orElseThrow(() -> new IllegalStateException("template " + name + " has no RuleTable line"));
            templates.add(new Template(name.trim().replaceFirst("\\.csv$", ""), ruleTable, header, titles, types));
        }
        return List.copyOf(templates);
    }

    private static String resource(String name) {
        try (InputStream in = DecisionTables.class.getClassLoader().getResourceAsStream("decision-tables/" + name)) {
            if (in == null) {
                throw new IllegalStateException("decision-tables/" + name + " is missing from the engine");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
