package io.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import io.beacon.contracts.Topics;

/**
 * Checks deploy/compose/compose.yaml without Docker: health checks and start order hold together,
 * the topics it creates are Beacon's, the images are the ones Jib builds, and every environment
 * variable handed to a Beacon service is one that service reads.
 */
class ComposeFileTest {

    private static final Path HOME = Path.of(System.getProperty("beacon.k8s.dir", ".")).toAbsolutePath().normalize()
            .resolve("../..").normalize();
    private static final List<String> BEACON = List.of("ticket-ingest", "account-service", "cta-engine", "notification-service");
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(HOME.resolve("deploy/compose/compose.yaml"))) {
            Map<String, Object> compose = new Yaml(options).load(reader);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyLongRunningServiceHasAHealthCheckAndStartsAfterWhatItNeeds() throws IOException {
        assertThat(services).containsKeys(BEACON.toArray(String[]::new)).containsKeys("kafka", "postgres");
        services.forEach((name, service) -> {
            boolean oneShot = "no".equals(service.get("restart"));
            assertThat(oneShot || service.containsKey("healthcheck")).as(name + " has a health check").isTrue();
            Object deps = service.get("depends_on");
            if (deps instanceof Map<?, ?> map) {
                ((Map<String, Map<String, String>>) map).forEach((target, how) -> {
                    assertThat(services).as(name + " depends on " + target).containsKey(target);
                    if ("service_healthy".equals(how.get("condition"))) {
                        assertThat(services.get(target)).as(target + " health check").containsKey("healthcheck");
                    } else {
                        assertThat(how.get("condition")).isEqualTo("service_completed_successfully");
                        assertThat(services.get(target).get("restart")).isEqualTo("no");
                    }
                });
            }
        });
        for (String name : BEACON) {
            PackagedService packaged = PackagedService.read(HOME, name);
            Map<String, Object> health = (Map<String, Object>) services.get(name).get("healthcheck");
            assertThat(health.get("test").toString()).as(name + ": the health check asks where the service listens")
                    .contains("http://localhost:" + packaged.httpPort() + packaged.healthRoot() + "/ready");
            assertThat((List<String>) services.get(name).get("ports")).as(name)
                    .allMatch(p -> p.endsWith(":" + packaged.httpPort()));
            assertThat((Map<String, Object>) services.get(name).get("environment")).as(name).doesNotContainKey("QUARKUS_HTTP_PORT");
            assertThat((Map<String, Object>) services.get(name).get("depends_on")).as(name).containsKeys("kafka-topics", "postgres");
        }
    }

    @Test
    void theTopicsItCreatesAreBeaconsWithTheirCleanupPolicy() {
        String command = services.get("kafka-topics").get("command").toString();
        Matcher m = Pattern.compile("(?m)^\\s*t (\\S+) (\\d+) (delete|compact)\\s*$").matcher(command.replace(", ", "\n"));
        Map<String, String> created = new TreeMap<>();
        while (m.find()) {
            created.put(m.group(1), m.group(2) + " " + m.group(3));
        }
        Map<String, String> expected = new TreeMap<>();
        Topics.ALL.forEach(t -> expected.put(t.name(), t.partitions() + " " + (t.compacted() ? "compact" : "delete")));
        assertThat(created).isEqualTo(expected);
    }

    @Test
    void beaconServicesRunTheImagesJibBuildsAndGetOnlySettingsTheyRead() throws IOException {
        for (String name : BEACON) {
            Properties config = new Properties();
            try (Reader reader = Files.newBufferedReader(HOME.resolve(name + "/src/main/resources/application.properties"))) {
                config.load(reader);
            }
            String image = config.getProperty("quarkus.container-image.registry") + "/"
                    + config.getProperty("quarkus.container-image.group") + "/" + config.getProperty("quarkus.container-image.name")
                    + ":" + config.getProperty("quarkus.container-image.tag");
            assertThat(services.get(name).get("image")).as(name).isEqualTo(image);

            Set<String> known = readable(config);
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) services.get(name).get("environment");
            assertThat(env.keySet()).as(name + " environment").allMatch(known::contains);
        }
    }

    /**
     * What a service reads from the environment: the ${NAME} references in its configuration, every
     * configured key in its environment-variable form, Quarkus' and MicroProfile's own keys, the JVM
     * options of the image, and the rule and seed folders (@ConfigMapping keys without a default line).
     */
    private static Set<String> readable(Properties config) {
        Map<String, Boolean> names = new HashMap<>();
        Pattern reference = Pattern.compile("\\$\\{([A-Z0-9_]+)");
        for (String key : config.stringPropertyNames()) {
            names.put(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(), true);
            Matcher m = reference.matcher(config.getProperty(key));
            while (m.find()) {
                names.put(m.group(1), true);
            }
        }
        return new java.util.HashSet<>(names.keySet()) {
            @Override
            public boolean contains(Object o) {
                String name = (String) o;
                return super.contains(name) || name.startsWith("QUARKUS_") || name.startsWith("MP_")
                        || name.equals("JAVA_OPTS_APPEND") || name.equals("BEACON_RULES_DIR")
                        || name.equals("BEACON_ACCOUNTS_SEED_DIR");
            }
        };
    }
}
