package io.beacon.engine.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What ops write: DRL files, per-segment parameters and scenario files, exactly as given (parameters
 * not yet checked, hence {@code Object} values). A rules directory holds the same thing as
 * {@code ruleset.properties}, its DRL files and {@code scenarios/*.json}.
 */
public record RuleSource(String name, Map<String, String> files, Map<String, Map<String, Object>> params,
        Map<String, String> scenarios) {

    public RuleSource {
        files = files == null ? Map.of() : new TreeMap<>(files);
        params = params == null ? Map.of() : new TreeMap<>(params);
        scenarios = scenarios == null ? Map.of() : new TreeMap<>(scenarios);
    }

    /** A stable fingerprint: equal sources have equal checksums, whatever the map order. */
    public String checksum() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, "files", files);
            params.forEach((param, values) -> update(sha, "param:" + param, new TreeMap<>(values)));
            update(sha, "scenarios", scenarios);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, String section, Map<String, ?> entries) {
        sha.update(section.getBytes(StandardCharsets.UTF_8));
        entries.forEach((key, value) -> {
            sha.update(("\u0000" + key + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
        });
    }

    /**
     * Reads a rules directory; its manifest's {@code name} names the ruleset. A file listed with a
     * path ({@code ../rules/support-quality.drl}) is read from there and known by its file name, and
     * {@code scenarios=<dir>} takes the scenarios from another directory (default: {@code scenarios}),
     * so a variant of a ruleset lists what it shares instead of copying it.
     */
    public static RuleSource fromDirectory(Path dir) {
        try {
            Map<String, String> scenarios = new LinkedHashMap<>();
            Properties manifest = new Properties();
            manifest.load(new StringReader(Files.readString(dir.resolve(Ruleset.MANIFEST))));
            Path scenarioDir = dir.resolve(manifest.getProperty("scenarios", "scenarios").trim());
            if (Files.isDirectory(scenarioDir)) {
                try (Stream<Path> listing = Files.list(scenarioDir)) {
                    for (Path file : listing.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                        scenarios.put(file.getFileName().toString(), Files.readString(file));
                    }
                }
            }
            return fromManifest(file -> {
                try {
                    return Files.readString(dir.resolve(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, scenarios);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read the rules directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The default rules shipped inside the engine (a copy of {@code seeds/rules}, without scenarios). */
    public static RuleSource fromClasspath() {
        return fromManifest(file -> {
            try (InputStream in = RuleSource.class.getClassLoader().getResourceAsStream("default-rules/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("default-rules/" + file + " is missing from the engine");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Map.of());
    }

    private static RuleSource fromManifest(Function<String, String> read, Map<String, String> scenarios) {
        Properties manifest = new Properties();
        try {
            manifest.load(new StringReader(read.apply(Ruleset.MANIFEST)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : manifest.getProperty("files", "").split(",")) {
            if (!file.isBlank()) {
                String path = file.trim();
                files.put(path.substring(path.lastIndexOf('/') + 1), read.apply(path));
            }
        }
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        for (String key : manifest.stringPropertyNames()) {
            if (key.startsWith("param.")) {
                Map<String, Object> bySegment = new LinkedHashMap<>();
                for (String pair : manifest.getProperty(key).split(",")) {
                    String[] parts = pair.trim().split(":", 2);
                    bySegment.put(parts[0].trim(), parts.length == 2 ? parts[1].trim() : "");
                }
                params.put(key.substring("param.".length()), bySegment);
            }
        }
        return new RuleSource(manifest.getProperty("name", "default").trim(), files, params, scenarios);
    }
}
