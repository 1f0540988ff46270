package io.beacon.engine.rules;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.beacon.contracts.Segment;
import io.beacon.engine.rules.model.Params;

/**
 * A ruleset as ops write it: a manifest ({@code ruleset.properties}: name, version, files and
 * {@code param.<name>=SEGMENT:value,...}) and its DRL files.
 */
public record Ruleset(String name, int version, Map<String, String> files, Params params) {

    public static final String MANIFEST = "ruleset.properties";

    /** @param readFile reads a file named in the manifest */
    public static Ruleset parse(Properties manifest, java.util.function.Function<String, String> readFile) {
        String name = required(manifest, "name");
        int version = Integer.parseInt(required(manifest, "version").trim());
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : required(manifest, "files").split(",")) {
            files.put(file.trim(), readFile.apply(file.trim()));
        }
        Map<String, Map<Segment, Integer>> params = new LinkedHashMap<>();
        for (String key : manifest.stringPropertyNames()) {
            if (key.startsWith("param.")) {
                params.put(key.substring("param.".length()), perSegment(key, manifest.getProperty(key)));
            }
        }
        return new Ruleset(name, version, files, new Params(params));
    }

    private static Map<Segment, Integer> perSegment(String key, String spec) {
        Map<Segment, Integer> values = new EnumMap<>(Segment.class);
        for (String pair : spec.split(",")) {
            String[] parts = pair.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException(key + ": '" + pair.trim() + "' is not SEGMENT:value");
            }
            try {
                values.put(Segment.valueOf(parts[0].trim()), Integer.valueOf(parts[1].trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": '" + pair.trim() + "' needs a segment of "
                        + java.util.Arrays.toString(Segment.values()) + " and a whole number");
            }
        }
        for (Segment segment : Segment.values()) {
            if (!values.containsKey(segment)) {
                throw new IllegalArgumentException(key + " has no value for " + segment);
            }
        }
        return values;
    }

    private static String required(Properties manifest, String key) {
        String value = manifest.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(MANIFEST + " needs '" + key + "'");
        }
        return value;
    }
}
