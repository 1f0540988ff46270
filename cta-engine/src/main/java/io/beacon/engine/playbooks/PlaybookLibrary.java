package io.beacon.engine.playbooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The playbooks in use, read from files ops maintain beside the rules. A file that is not a valid
 * playbook is refused with its reason and the others stay in use: one bad file never stops the engine
 * nor takes the other playbooks away.
 */
@ApplicationScoped
@Startup
public class PlaybookLibrary {

    private static final Logger LOG = Logger.getLogger(PlaybookLibrary.class);
    private static final String BUILT_IN = "default-playbooks/";
    private static final int MAX_TASKS = 20;
    private static final int MAX_TITLE = 300;
    private static final int MAX_DUE_DAYS = 365;

    /** A file that was not taken, and why. */
    public record Refused(String file, String reason) {
    }

    /** What was read: the playbooks by name and the files refused. */
    public record Contents(List<Playbook> playbooks, List<Refused> refused) {
    }

    private final PlaybooksConfig config;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private volatile Contents contents = new Contents(List.of(), List.of());
    private volatile String stamp = "";

    PlaybookLibrary(PlaybooksConfig config) {
        this.config = config;
    }

    @PostConstruct
    void load() {
        stamp = stamp();
        contents = read();
        LOG.infof("Playbooks in use: %d (%d refused)", contents.playbooks().size(), contents.refused().size());
    }

    /** Reads the folder again when a file in it was added, removed or changed. */
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadIfChanged() {
        if (config.dir().isPresent() && !stamp().equals(stamp)) {
            load();
        }
    }

    public Contents contents() {
        return contents;
    }

    /** The playbook for a CTA: the one for its type and reason, else its type's {@code *} playbook. */
    public Optional<Playbook> forCta(String type, String reason) {
        Playbook fallback = null;
        for (Playbook p : contents.playbooks()) {
            if (p.type().equals(type)) {
                if (p.reason().equals(reason)) {
                    return Optional.of(p);
                }
                if (p.reason().equals(Playbook.ANY_REASON)) {
                    fallback = p;
                }
            }
        }
        return Optional.ofNullable(fallback);
    }

    private Contents read() {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        List<Refused> refused = new ArrayList<>();
        try {
            if (config.dir().isPresent()) {
                try (Stream<Path> list = Files.list(config.dir().get())) {
                    for (Path file : list.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                        files.put(file.getFileName().toString(), Files.readAllBytes(file));
                    }
                }
            } else {
                Properties index = new Properties();
                try (InputStream in = resource("index.properties")) {
                    index.load(in);
                }
                for (String file : index.getProperty("files", "").split(",")) {
                    if (!file.isBlank()) {
                        try (InputStream in = resource(file.trim())) {
                            files.put(file.trim(), in.readAllBytes());
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.errorf(e, "Could not read the playbooks; none are in use until they can be read");
            return new Contents(List.of(), List.of(new Refused("(folder)", "could not be read: " + e.getMessage())));
        }
        Map<String, Playbook> byName = new HashMap<>();
        Map<String, String> byKey = new HashMap<>();
        List<Playbook> playbooks = new ArrayList<>();
        files.forEach((file, bytes) -> {
            try {
                Playbook p = parse(bytes);
                String key = p.type() + "/" + p.reason();
                if (byName.containsKey(p.name())) {
                    throw new IllegalArgumentException("another file already defines the playbook '" + p.name() + "'");
                }
                if (byKey.containsKey(key)) {
                    throw new IllegalArgumentException("the playbook '" + byKey.get(key) + "' already serves " + key);
                }
                byName.put(p.name(), p);
                byKey.put(key, p.name());
                playbooks.add(p);
            } catch (IllegalArgumentException | IOException e) {
                String reason = e instanceof IOException ? "not valid JSON: " + firstLine(e.getMessage()) : e.getMessage();
                LOG.warnf("Playbook file %s refused: %s", file, reason);
                refused.add(new Refused(file, reason));
            }
        });
        playbooks.sort(Comparator.comparing(Playbook::name));
        return new Contents(List.copyOf(playbooks), List.copyOf(refused));
    }

    /** A playbook from a file's bytes, every field checked; the message names the field that is wrong. */
    Playbook parse(byte[] bytes) throws IOException {
        JsonNode root = json.readTree(bytes);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a playbook file holds one JSON object");
        }
        String name = text(root, "name", 100);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException("'name' may hold only letters, digits and '-'");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
            throw new IllegalArgumentException("'version' must be a whole number from 1");
        }
        String type = text(root, "type", 16);
        try {
            CtaEvent.CtaType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'type' must be one of " + List.of(CtaEvent.CtaType.values()));
        }
        String reason = text(root, "reason", 100);
        String description = root.hasNonNull("description") ? text(root, "description", 500) : "";
        JsonNode tasks = root.get("tasks");
        if (tasks == null || !tasks.isArray() || tasks.isEmpty() || tasks.size() > MAX_TASKS) {
            throw new IllegalArgumentException("'tasks' must list 1 to " + MAX_TASKS + " tasks");
        }
        List<Playbook.Task> list = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String field = "tasks[" + i + "]";
            if (!task.isObject()) {
                throw new IllegalArgumentException("'" + field + "' must be an object with title and dueInDays");
            }
            String title = text(task, "title", MAX_TITLE, field + ".title");
            JsonNode due = task.get("dueInDays");
            if (due == null || !due.isIntegralNumber() || due.asInt() < 0 || due.asInt() > MAX_DUE_DAYS) {
                throw new IllegalArgumentException("'" + field + ".dueInDays' must be a whole number from 0 to " + MAX_DUE_DAYS);
            }
            list.add(new Playbook.Task(title, due.asInt()));
        }
        return new Playbook(name, version.asInt(), type, reason, description, List.copyOf(list));
    }

    private static String text(JsonNode node, String field, int max) {
        return text(node, field, max, field);
    }

    private static String text(JsonNode node, String field, int max, String label) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + label + "' is required text");
        }
        String text = value.asText().strip();
        if (text.length() > max) {
            throw new IllegalArgumentException("'" + label + "' is longer than " + max + " characters");
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new IllegalArgumentException("'" + label + "' holds control characters");
        }
        return text;
    }

    private String stamp() {
        if (config.dir().isEmpty()) {
            return "";
        }
        try (Stream<Path> list = Files.list(config.dir().get())) {
            StringBuilder out = new StringBuilder();
            for (Path file : list.sorted().toList()) {
                out.append(file.getFileName()).append('@').append(Files.getLastModifiedTime(file).toMillis())
                        .append(':').append(Files.size(file)).append(';');
            }
            return out.toString();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = PlaybookLibrary.class.getClassLoader().getResourceAsStream(BUILT_IN + file);
        if (in == null) {
            throw new IOException(BUILT_IN + file + " is missing from the engine");
        }
        return in;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
