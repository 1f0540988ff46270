package io.beacon.platform.retention;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Rows a service keeps for a while and then deletes: those of {@code table} whose {@code column} is
 * older than the rule's age and that match {@code condition} (SQL over the table's columns; use it
 * for what must stay whatever its age, such as rows something else still points to).
 *
 * @param name the rule's name in configuration: {@code beacon.retention.keep.<name>} overrides the age
 * @param defaultAge how long rows are kept unless configured otherwise
 */
public record RetentionRule(String name, String table, String column, String condition, Duration defaultAge) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public RetentionRule {
        Objects.requireNonNull(condition);
        for (String identifier : new String[] { name.replace('-', '_'), table, column }) {
            if (!IDENTIFIER.matcher(identifier).matches()) {
                throw new IllegalArgumentException("not an identifier: " + identifier);
            }
        }
        if (defaultAge.isNegative() || defaultAge.isZero()) {
            throw new IllegalArgumentException(name + ": a retention age must be positive");
        }
    }

    public static RetentionRule olderThan(String name, String table, String column, Duration defaultAge) {
        return new RetentionRule(name, table, column, "TRUE", defaultAge);
    }

    public RetentionRule unless(String condition) {
        return new RetentionRule(name, table, column, condition, defaultAge);
    }

    /** Deletes one batch (parameters: the age in seconds, the batch size); skips rows others hold. */
    String deleteBatch() {
        return "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table + " WHERE " + column
                + " < now() - make_interval(secs => ?1) AND (" + condition + ") LIMIT ?2 FOR UPDATE SKIP LOCKED))";
    }
}
