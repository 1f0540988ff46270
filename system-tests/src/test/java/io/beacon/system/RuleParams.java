package io.beacon.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The per-segment parameters of a ruleset directory ({@code param.NAME=SEGMENT:value,...} in
 * {@code ruleset.properties}), read as the file says, so an oracle follows the rules it is run with.
 */
final class RuleParams {

    private final Map<String, Map<String, Integer>> values = new HashMap<>();

    private RuleParams() {
    }

    static RuleParams read(Path rulesDir) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(rulesDir.resolve("ruleset.properties"))) {
            properties.load(in);
        }
        RuleParams params = new RuleParams();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("param.")) {
                continue;
            }
            Map<String, Integer> bySegment = new HashMap<>();
            for (String pair : properties.getProperty(key).split(",")) {
                String[] parts = pair.trim().split(":");
                bySegment.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
            }
            params.values.put(key.substring("param.".length()), bySegment);
        }
        return params;
    }

    /** The value for {@code segment}; fails loudly when the ruleset does not define it. */
    int get(String name, String segment) {
        Integer value = values.getOrDefault(name, Map.of()).get(segment);
        if (value == null) {
            throw new IllegalStateException("the ruleset defines no " + name + " for " + segment);
        }
        return value;
    }
}
