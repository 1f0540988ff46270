package io.beacon.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Parses enum values from the wire case-insensitively ({@code Open}, {@code OPEN} and {@code open}
 * are the same status) and fails with a message that lists what is allowed.
 */
final class WireEnums {

    private WireEnums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null) {
            return null;
        }
        String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + field + " '" + value + "'; expected one of "
                + Arrays.stream(type.getEnumConstants()).map(WireEnums::wire).collect(Collectors.joining(", ")));
    }

    static String wire(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
