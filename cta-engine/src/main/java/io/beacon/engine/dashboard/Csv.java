package io.beacon.engine.dashboard;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/** The dashboard's escalations as CSV (jackson-dataformat-csv: quoting and escaping are its business). */
final class Csv {

    private static final CsvMapper MAPPER = new CsvMapper();

    /** One row of the export: what the table shows, with the explanation flattened to name=value pairs. */
    record Row(String accountId, String accountName, String segment, String arr, String health, String csm,
            String team, String reason, String priority, String rule, int rulesetVersion, String escalatedAt,
            long ageHours, String why) {
    }

    private static final CsvSchema SCHEMA = MAPPER.schemaFor(Row.class).withHeader()
            .sortedBy("accountId", "accountName", "segment", "arr", "health", "csm", "team", "reason", "priority",
                    "rule", "rulesetVersion", "escalatedAt", "ageHours", "why");

    private Csv() {
    }

    static String escalations(List<DashboardService.Escalation> escalations) {
        List<Row> rows = escalations.stream().map(e -> new Row(text(e.accountId()), text(e.accountName()),
                e.segment() == null ? null : e.segment().name(), e.arr() == null ? null : e.arr().toPlainString(),
                e.healthColor(), text(e.csmId()), text(e.csmTeam()), text(e.reason()), e.priority(), text(e.rule()),
                e.rulesetVersion(), String.valueOf(e.escalatedAt()), e.ageHours(), text(why(e.explanation())))).toList();
        try {
            return MAPPER.writer(SCHEMA).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Text from outside (account names, reasons) as a spreadsheet will not run it: a cell starting with
     * =, +, -, @, tab or return would be read as a formula, so it gets a leading apostrophe.
     */
    static String text(String value) {
        return value != null && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    private static String why(Map<String, Object> explanation) {
        return explanation == null ? "" : new java.util.TreeMap<>(explanation).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }
}
