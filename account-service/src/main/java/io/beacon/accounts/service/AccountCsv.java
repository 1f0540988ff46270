package io.beacon.accounts.service;

import io.beacon.platform.errors.Refusal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.beacon.accounts.csv.Csv;
import io.beacon.accounts.domain.Account;
import io.beacon.accounts.rest.AccountRequest;
import io.beacon.contracts.AccountSnapshot.Measure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * CSV import and export of accounts. Import is an upsert by id, one transaction per row: a row is
 * applied whole or not at all, and a bad row is reported without stopping the others. Importing the
 * same file twice changes nothing the second time.
 */
@ApplicationScoped
public class AccountCsv {

    public static final List<String> BASE_COLUMNS = List.of("id", "name", "employees", "csm_id", "arr",
            "renewal_date", "lifecycle_stage", "zendesk_org_id", "freshdesk_company_id", "jsm_organization_id");

    /** The desk columns and the external-id source each fills (how ticket-ingest finds the account). */
    private static final Map<String, String> DESK_COLUMNS = Map.of("zendesk_org_id", "zendesk",
            "freshdesk_company_id", "freshdesk", "jsm_organization_id", "jsm");
    private static final Set<String> REQUIRED = Set.of("id", "name", "employees");

    public record RowError(int line, String id, List<String> errors) {
    }

    public record ImportReport(int rows, int created, int updated, int unchanged, List<RowError> errors) {
    }

    private final AccountService accounts;
    private final AccountMapper mapper;
    private final HealthScorecard scorecard;
    private final Validator validator;

    AccountCsv(AccountService accounts, AccountMapper mapper, HealthScorecard scorecard, Validator validator) {
        this.accounts = accounts;
        this.mapper = mapper;
        this.scorecard = scorecard;
        this.validator = validator;
    }

    public List<String> columns() {
        List<String> columns = new ArrayList<>(BASE_COLUMNS);
        columns.addAll(scorecard.standardWeights().keySet());
        return columns;
    }

    public ImportReport importCsv(String text, String actor) {
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw badRequest("The file is not valid CSV: " + e.getMessage() + ".");
        }
        if (rows.isEmpty()) {
            throw badRequest("The file is empty; the first line must name the columns: " + String.join(",", columns()) + ".");
        }
        List<String> header = rows.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        List<String> unknown = header.stream().filter(h -> !columns().contains(h)).toList();
        List<String> missing = REQUIRED.stream().filter(r -> !header.contains(r)).sorted().toList();
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            String detail = (missing.isEmpty() ? "" : "Missing column(s): " + String.join(", ", missing) + ". ")
                    + (unknown.isEmpty() ? "" : "Unknown column(s): " + String.join(", ", unknown) + ". ")
                    + "Known columns: " + String.join(",", columns()) + ".";
            throw badRequest(detail);
        }

        int created = 0;
        int updated = 0;
        int unchanged = 0;
        List<RowError> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                values.put(header.get(i), i < row.fields().size() ? row.fields().get(i).trim() : "");
            }
            String id = values.get("id");
            List<String> problems = new ArrayList<>();
            if (row.fields().size() != header.size()) {
                problems.add("has " + row.fields().size() + " fields; the header has " + header.size());
            }
            Integer firstLine = id == null || id.isEmpty() ? null : seen.putIfAbsent(id, row.line());
            if (firstLine != null) {
                problems.add("id '" + id + "' already appears on line " + firstLine + " of this file");
            }
            AccountRequest request = problems.isEmpty() ? toRequest(values, problems) : null;
            if (request != null && problems.isEmpty()) {
                for (ConstraintViolation<AccountRequest> v : validator.validate(request)) {
                    problems.add(v.getPropertyPath() + " " + v.getMessage());
                }
            }
            if (problems.isEmpty()) {
                try {
                    switch (accounts.upsert(request, actor).outcome()) {
                        case CREATED -> created++;
                        case UPDATED -> updated++;
                        case UNCHANGED -> unchanged++;
                    }
                } catch (Refusal e) {
                    problems.add(e.getMessage());
                } catch (RuntimeException e) {
                    problems.add("could not be stored: " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                errors.add(new RowError(row.line(), id, problems.stream().sorted().toList()));
            }
        }
        return new ImportReport(rows.size() - 1, created, updated, unchanged, errors);
    }

    public String export() {
        StringBuilder out = new StringBuilder(Csv.line(columns()));
        for (Account account : accounts.all()) {
            List<String> line = new ArrayList<>(List.of(account.id, account.name, Integer.toString(account.employees),
                    account.csm == null ? "" : account.csm.id, account.arr == null ? "" : account.arr.toPlainString(),
                    account.renewalDate == null ? "" : account.renewalDate.toString(),
                    account.lifecycleStage == null ? "" : account.lifecycleStage,
                    account.externalIds.getOrDefault("zendesk", ""), account.externalIds.getOrDefault("freshdesk", ""),
                    account.externalIds.getOrDefault("jsm", "")));
            Map<String, Integer> scores = account.healthMeasures == null ? Map.of()
                    : mapper.measures(account.healthMeasures).stream()
                            .collect(Collectors.toMap(Measure::name, Measure::score));
            for (String measure : scorecard.standardWeights().keySet()) {
                line.add(scores.containsKey(measure) ? scores.get(measure).toString() : "");
            }
            out.append(Csv.line(line));
        }
        return out.toString();
    }

    private AccountRequest toRequest(Map<String, String> v, List<String> problems) {
        Integer employees = integer(v, "employees", problems);
        BigDecimal arr = null;
        if (!blank(v.get("arr"))) {
            try {
                arr = new BigDecimal(v.get("arr"));
            } catch (NumberFormatException e) {
                problems.add("arr '" + v.get("arr") + "' is not a number");
            }
        }
        LocalDate renewal = null;
        if (!blank(v.get("renewal_date"))) {
            try {
                renewal = LocalDate.parse(v.get("renewal_date"));
            } catch (DateTimeParseException e) {
                problems.add("renewal_date '" + v.get("renewal_date") + "' is not a date like 2027-03-31");
            }
        }
        Map<String, Integer> scores = new LinkedHashMap<>();
        for (String measure : scorecard.standardWeights().keySet()) {
            if (!blank(v.get(measure))) {
                Integer score = integer(v, measure, problems);
                if (score != null) {
                    scores.put(measure, score);
                }
            }
        }
        List<AccountRequest.MeasureInput> health = null;
        if (!scores.isEmpty()) {
            if (scores.size() != scorecard.standardWeights().size()) {
                problems.add("give all of the scores " + scorecard.standardWeights().keySet() + " or none");
            }
            health = scorecard.withStandardWeights(scores).stream()
                    .map(m -> new AccountRequest.MeasureInput(m.name(), m.weight(), m.score())).toList();
        }
        Map<String, String> externalIds = new java.util.TreeMap<>();
        DESK_COLUMNS.forEach((column, source) -> {
            if (!blank(v.get(column))) {
                externalIds.put(source, v.get(column));
            }
        });
        return new AccountRequest(v.get("id"), v.get("name"), employees, blankToNull(v.get("csm_id")), arr, renewal,
                blankToNull(v.get("lifecycle_stage")), externalIds.isEmpty() ? null : externalIds, health, null);
    }

    private static Integer integer(Map<String, String> v, String column, List<String> problems) {
        String raw = v.get(column);
        if (blank(raw)) {
            return null;
        }
        try {
            return Integer.valueOf(raw);
        } catch (NumberFormatException e) {
            problems.add(column + " '" + raw + "' is not a whole number");
            return null;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return blank(value) ? null : value;
    }

    private static Refusal badRequest(String detail) {
        return Refusal.invalid(null, detail);
    }
}
