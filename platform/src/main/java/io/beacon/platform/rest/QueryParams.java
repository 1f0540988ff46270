package io.beacon.platform.rest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response.Status;

/**
 * Query parameters read by hand, so that a wrong one is a 400 naming the parameter and what it
 * accepts. (JAX-RS answers 404 when it cannot convert a query parameter, which tells a caller
 * nothing.) Endpoints take such parameters as strings and read them here.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** A whole number from {@code min} to {@code max}; the default when absent. */
    public static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, value, "must be a whole number from " + min + " to " + max);
    }

    /** true or false; null when absent. */
    public static Boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(name, value, "must be true or false");
        };
    }

    /** One of an enum's constants, in any case; null when absent. */
    public static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(name, value, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")));
        }
    }

    /** One of the given words (upper case), in any case; null when absent. */
    public static String oneOf(String name, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(upper)) {
            throw bad(name, value, "must be one of " + String.join(", ", allowed));
        }
        return upper;
    }

    private static WebApplicationException bad(String name, String value, String rule) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return new WebApplicationException(Problem.of(Status.BAD_REQUEST, "Query parameter '" + name + "' "
                + rule + "; it was '" + shown + "'.", List.of(new Problem.FieldError(name, rule))).toResponse());
    }
}
