package io.beacon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.beacon.contracts.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * Checks the manifests in deploy/k8s without a cluster: every document is read into the Kubernetes
 * (fabric8) or Strimzi model class for its apiVersion and kind, and any field the model does not
 * know — a typo, a wrong nesting level — fails the check with its path; wrong value types fail
 * while reading. Then what the schemas cannot see: probes on the health endpoints, resources,
 * selectors that select something, the autoscaler bounded by partitions, topics as Beacon's
 * contract lists them, and the rules ConfigMap equal to seeds/rules.
 */
class ManifestsTest {

    private static final Path DIR = Path.of(System.getProperty("beacon.k8s.dir", ".")).toAbsolutePath().normalize();
    private static final Path RULES = DIR.resolve("../../seeds/rules").normalize();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class));

    /** Prometheus Operator kinds: no model class here, checked field by field below. */
    private static final List<String> MONITORING_KINDS = List.of("monitoring.coreos.com/v1/PodMonitor",
            "monitoring.coreos.com/v1/PrometheusRule");
    /** What Strimzi's Kafka Exporter exports that the alerts and the dashboard use. */
    private static final List<String> KAFKA_EXPORTER_METRICS = List.of("kafka_consumergroup_lag",
            "kafka_topic_partition_current_offset");
    private static final List<JsonNode> MONITORING = new ArrayList<>();

    private static final ObjectMapper YAML = new YAMLMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final List<HasMetadata> RESOURCES = new ArrayList<>();
    private static final List<String> UNKNOWN_FIELDS = new ArrayList<>();

    @BeforeAll
    static void readManifests() throws IOException {
        JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        for (JsonNode file : kustomization.get("resources")) {
            Path path = DIR.resolve(file.asText());
            try (var parser = new YAMLFactory().createParser(path.toFile())) {
                for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                    if (doc == null || doc.isEmpty()) {
                        continue;
                    }
                    String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                    if (MONITORING_KINDS.contains(kind)) {
                        MONITORING.add(doc);
                        continue;
                    }
                    Class<? extends HasMetadata> type = KINDS.get(kind);
                    assertThat(type).as("%s: a model for %s", path.getFileName(), kind).isNotNull();
                    HasMetadata resource = YAML.treeToValue(doc, type);
                    unknownFields(resource, path.getFileName() + ":" + doc.path("kind").asText() + "/"
                            + resource.getMetadata().getName(), UNKNOWN_FIELDS);
                    RESOURCES.add(resource);
                }
            }
        }
    }

    @Test
    void everyFieldIsKnownToTheKubernetesAndStrimziSchemas() {
        assertThat(RESOURCES).hasSizeGreaterThan(20);
        assertThat(UNKNOWN_FIELDS).isEmpty();
    }

    @Test
    void theUnknownFieldCheckCatchesATypo() throws IOException {
        ObjectNode deployment = (ObjectNode) YAML.valueToTree(all(Deployment.class).get(0));
        ((ObjectNode) deployment.get("spec")).put("replicaz", 3);
        List<String> found = new ArrayList<>();
        unknownFields(YAML.treeToValue(deployment, Deployment.class), "probe", found);
        assertThat(found).containsExactly("probe.spec.replicaz");

        ObjectNode topic = (ObjectNode) YAML.valueToTree(all(KafkaTopic.class).get(0));
        ((ObjectNode) topic.get("spec")).put("partition", 3);
        found.clear();
        unknownFields(YAML.treeToValue(topic, KafkaTopic.class), "probe", found);
        assertThat(found).containsExactly("probe.spec.partition");
    }

    @Test
    void everyServiceRunsWithProbesResourcesAndItsConfiguration() {
        List<Deployment> deployments = all(Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("ticket-ingest", "account-service", "cta-engine", "notification-service", "console");
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).as(name)
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(path(c.getReadinessProbe())).as(name + " readiness").isEqualTo("/q/health/ready");
            assertThat(path(c.getLivenessProbe())).as(name + " liveness").isEqualTo("/q/health/live");
            assertThat(path(c.getStartupProbe())).as(name + " startup").isEqualTo("/q/health/started");
            assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
            assertThat(c.getPorts()).as(name).anyMatch(p -> "http".equals(p.getName()));
            for (EnvFromSource from : c.getEnvFrom()) {
                if (from.getSecretRef() != null) {
                    assertThat(named(Secret.class, from.getSecretRef().getName())).as(name + " secret").isTrue();
                } else {
                    assertThat(named(ConfigMap.class, from.getConfigMapRef().getName())).as(name + " config").isTrue();
                }
            }
            assertThat(c.getEnvFrom()).as(name + " logs JSON lines for the collector").anyMatch(f -> f.getConfigMapRef() != null
                    && "true".equals(all(ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals(f.getConfigMapRef().getName()))
                            .findFirst().orElseThrow().getData().get("QUARKUS_LOG_CONSOLE_JSON_ENABLED")));
            assertThat(c.getEnvFrom()).as(name + " reads the token (or, for the console, sign-in) settings")
                    .anyMatch(f -> f.getSecretRef() != null && f.getSecretRef().getName().equals("beacon-oidc"));
            if (!name.equals("console")) {
                assertThat(c.getEnvFrom()).as(name + " reads the database settings")
                        .anyMatch(f -> f.getSecretRef() != null && f.getSecretRef().getName().equals("beacon-db"));
            }
        }
    }

    @Test
    void trafficAndProbesGoWhereEachPackagedServiceListens() throws IOException {
        for (Deployment d : all(Deployment.class)) {
            String name = d.getMetadata().getName();
            PackagedService packaged = PackagedService.read(DIR.resolve("../.."), name);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getEnv() == null ? List.<String>of() : c.getEnv().stream().map(e -> e.getName()).toList())
                    .as(name + ": the port is the packaged one, not an override").doesNotContain("QUARKUS_HTTP_PORT");
            var http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
            assertThat(http.getContainerPort()).as(name + ": containerPort is where the service listens")
                    .isEqualTo(packaged.httpPort());
            assertThat(packaged.imagePorts()).as(name + ": the image exposes it").contains(packaged.httpPort());
            for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
                var port = probe.getHttpGet().getPort();
                assertThat(port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal()))
                        .as(name + ": probes go to the http port").isIn("http", String.valueOf(packaged.httpPort()));
                assertThat(probe.getHttpGet().getPath()).as(name).startsWith(packaged.healthRoot() + "/");
            }
            Service service = all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
            var target = service.getSpec().getPorts().get(0).getTargetPort();
            assertThat(target.getStrVal() != null ? target.getStrVal() : String.valueOf(target.getIntVal()))
                    .as(name + ": the Service targets the http port").isIn("http", String.valueOf(packaged.httpPort()));
        }
    }

    @Test
    void thePortCheckCatchesAServiceThatListensElsewhere() {
        var props = new java.util.Properties();
        props.setProperty("quarkus.http.port", "8083"); // what every service said before issue 17
        props.setProperty("%dev.quarkus.http.port", "9999");
        assertThat(PackagedService.of("probe", props).httpPort()).isEqualTo(8083);
        props.remove("quarkus.http.port");
        assertThat(PackagedService.of("probe", props).httpPort()).isEqualTo(8080);
        props.setProperty("quarkus.http.port", "${PORT:8181}");
        props.setProperty("quarkus.http.non-application-root-path", "/internal/");
        assertThat(PackagedService.of("probe", props)).extracting(PackagedService::httpPort, PackagedService::healthRoot)
                .containsExactly(8181, "/internal/health");
    }

    @Test
    void servicesAndDisruptionBudgetsSelectPodsThatExist() {
        for (Service s : all(Service.class)) {
            assertThat(selects(s.getSpec().getSelector())).as("service " + s.getMetadata().getName()).isTrue();
        }
        List<PodDisruptionBudget> budgets = all(PodDisruptionBudget.class);
        assertThat(budgets).hasSize(5);
        for (PodDisruptionBudget b : budgets) {
            Deployment target = all(Deployment.class).stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                            .containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
                    .findFirst().orElseThrow(() -> new AssertionError("budget " + b.getMetadata().getName() + " selects nothing"));
            assertThat(b.getSpec().getMinAvailable().getIntVal()).as("a budget that still allows a drain")
                    .isLessThan(target.getSpec().getReplicas());
        }
    }

    @Test
    void theEngineAutoscalerStopsAtThePartitionCount() {
        HorizontalPodAutoscaler hpa = all(HorizontalPodAutoscaler.class).get(0);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("cta-engine");
        KafkaTopic tickets = topic(Topics.TICKETS_EVENTS);
        assertThat(hpa.getSpec().getMaxReplicas()).isLessThanOrEqualTo(tickets.getSpec().getPartitions());
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThan(
                all(PodDisruptionBudget.class).stream().filter(b -> b.getMetadata().getName().equals("cta-engine"))
                        .findFirst().orElseThrow().getSpec().getMinAvailable().getIntVal() - 1);
    }

    @Test
    void topicsAreTheOnesBeaconUsesWithTheirCleanupPolicy() {
        Kafka kafka = all(Kafka.class).get(0);
        int brokers = all(KafkaNodePool.class).stream().filter(p -> p.getSpec().getRoles().toString().toLowerCase().contains("broker"))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        assertThat(all(KafkaTopic.class)).extracting(t -> t.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        for (Topics.TopicSpec spec : Topics.ALL) {
            KafkaTopic topic = topic(spec.name());
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(topic.getSpec().getPartitions()).as(spec.name()).isGreaterThanOrEqualTo(spec.partitions());
            assertThat(topic.getSpec().getConfig().get("cleanup.policy")).as(spec.name())
                    .isEqualTo(spec.compacted() ? "compact" : "delete");
            assertThat(topic.getSpec().getReplicas()).as(spec.name()).isLessThanOrEqualTo(brokers);
            assertThat(((Number) topic.getSpec().getConfig().get("min.insync.replicas")).intValue()).as(spec.name())
                    .isLessThan(topic.getSpec().getReplicas());
        }
    }

    @Test
    void theRulesConfigMapIsTheShippedRulesetMountedAsTheEnginesRulesDirectory() throws IOException {
        Map<String, String> expected = rulesAsConfigMapData();
        ConfigMap rules = all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("beacon-rules"))
                .findFirst().orElseThrow();
        if (Boolean.getBoolean("beacon.k8s.write-rules") && !expected.equals(rules.getData())) {
            writeRulesConfigMap(expected);
            return;
        }
        assertThat(rules.getData()).as("deploy/k8s/rules-configmap.yaml differs from seeds/rules; regenerate it with "
                + "./mvnw -pl deploy/k8s test -Dbeacon.k8s.write-rules=true").isEqualTo(expected);

        Deployment engine = all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("cta-engine"))
                .findFirst().orElseThrow();
        Volume volume = engine.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("beacon-rules")).findFirst().orElseThrow();
        Map<String, String> mounted = new LinkedHashMap<>();
        for (KeyToPath item : volume.getConfigMap().getItems()) {
            mounted.put(item.getKey(), item.getPath());
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        expected.keySet().forEach(k -> wanted.put(k, k.startsWith("scenarios.") ? "scenarios/" + k.substring(10) : k));
        assertThat(mounted).as("every rule file mounted at its place").isEqualTo(wanted);
        Container c = engine.getSpec().getTemplate().getSpec().getContainers().get(0);
        String mountPath = c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName())).findFirst()
                .orElseThrow().getMountPath();
        assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("BEACON_RULES_DIR") && e.getValue().equals(mountPath));
    }

    @Test
    void alertsAndTheDashboardUseOnlyMetricsThatExistAndScrapeWhereServicesServeThem() throws IOException {
        Set<String> exported = registeredMetrics(DIR.resolve("../.."));
        assertThat(exported).as("metrics found in the services' sources").contains("beacon_outbox_pending",
                "beacon_engine_event_lag_seconds_bucket", "beacon_notify_deliveries_total");
        List<String> expressions = new ArrayList<>();
        JsonNode rule = MONITORING.stream().filter(d -> d.path("kind").asText().equals("PrometheusRule")).findFirst().orElseThrow();
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                String name = alert.path("alert").asText();
                alerts.add(name);
                assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
                assertThat(alert.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
                assertThat(alert.path("annotations").path("description").asText()).as(name + " description").isNotBlank();
                expressions.add(alert.path("expr").asText());
            }
        }
        assertThat(String.join(" ", alerts).toLowerCase()).as("alerts for lag, dead letters, outbox, rules, deliveries")
                .contains("lag", "deadletters", "outbox", "rulefailures", "deliveriesdeadlettered");
        ConfigMap dashboard = all(ConfigMap.class).stream()
                .filter(c -> "1".equals(c.getMetadata().getLabels() == null ? null : c.getMetadata().getLabels().get("grafana_dashboard")))
                .findFirst().orElseThrow();
        JsonNode board = new ObjectMapper().readTree(dashboard.getData().values().iterator().next());
        assertThat(board.path("uid").asText()).isNotBlank();
        for (JsonNode panel : board.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b((?:beacon|kafka)_[a-z0-9_]+)").matcher(String.join("\n", expressions));
        Set<String> used = new java.util.TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).as("metrics the alerts and dashboard read").hasSizeGreaterThan(8);
        for (String metric : used) {
            assertThat(metric.startsWith("kafka_") ? KAFKA_EXPORTER_METRICS.contains(metric) : exported.contains(metric))
                    .as(metric + " is registered by a service or exported by the Kafka Exporter").isTrue();
        }
        assertThat(all(Kafka.class).get(0).getSpec().getKafkaExporter()).as("the Kafka Exporter runs").isNotNull();

        JsonNode podMonitor = MONITORING.stream().filter(d -> d.path("kind").asText().equals("PodMonitor")).findFirst().orElseThrow();
        Map<String, String> selector = new LinkedHashMap<>();
        podMonitor.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
        assertThat(all(Deployment.class)).allMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
        JsonNode endpoint = podMonitor.path("spec").path("podMetricsEndpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("http");
        for (Deployment d : all(Deployment.class)) {
            PackagedService packaged = PackagedService.read(DIR.resolve("../.."), d.getMetadata().getName());
            assertThat(endpoint.path("path").asText()).as(d.getMetadata().getName())
                    .isEqualTo(packaged.healthRoot().replaceAll("/health$", "") + "/metrics");
        }
    }

    /**
     * Every meter a service registers ({@code counter("beacon.…")}, {@code Timer.builder("beacon.…")}…),
     * in each form Micrometer's Prometheus registry can give it.
     */
    static Set<String> registeredMetrics(Path home) throws IOException {
        java.util.regex.Pattern meter = java.util.regex.Pattern.compile(
                "(?:counter|timer|gauge|Counter\\.builder|Timer\\.builder|Gauge\\.builder)\\(\"(beacon\\.[a-z.]+)\"");
        Set<String> names = new java.util.TreeSet<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(home)) {
            sources = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        for (Path source : sources) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    java.util.regex.Matcher m = meter.matcher(Files.readString(file));
                    while (m.find()) {
                        String base = m.group(1).replace('.', '_');
                        for (String suffix : List.of("", "_total", "_seconds", "_seconds_bucket", "_seconds_count",
                                "_seconds_sum", "_seconds_max")) {
                            names.add(base + suffix);
                        }
                    }
                }
            }
        }
        return names;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Walks a model object; every non-empty {@code additionalProperties} (where the model puts fields
     * it does not know) is reported with its path.
     */
    @SuppressWarnings("unchecked")
    static void unknownFields(Object node, String path, List<String> found) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean || node instanceof Enum<?>) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            return; // free-form maps (labels, data, Kafka config) have no schema to check against
        }
        String pkg = node.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is"))) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                ((Map<String, Object>) value).keySet().stream().map(k -> path + "." + k).filter(p -> !found.contains(p)).forEach(found::add);
            } else {
                String field = m.getName().startsWith("is") ? m.getName().substring(2) : m.getName().substring(3);
                unknownFields(value, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), found);
            }
        }
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return RESOURCES.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static boolean named(Class<? extends HasMetadata> type, String name) {
        return all(type).stream().anyMatch(r -> r.getMetadata().getName().equals(name));
    }

    private static boolean selects(Map<String, String> selector) {
        return all(Deployment.class).stream().anyMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(selector.entrySet()));
    }

    private static KafkaTopic topic(String name) {
        return all(KafkaTopic.class).stream().filter(t -> t.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic " + name));
    }

    private static String path(Probe probe) {
        return probe == null || probe.getHttpGet() == null ? null : probe.getHttpGet().getPath();
    }

    private static Map<String, String> rulesAsConfigMapData() throws IOException {
        Map<String, String> data = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(RULES)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                data.put(f.getFileName().toString(), Files.readString(f).stripTrailing() + "\n");
            }
        }
        try (Stream<Path> files = Files.list(RULES.resolve("scenarios"))) {
            for (Path f : files.sorted().toList()) {
                data.put("scenarios." + f.getFileName(), Files.readString(f).stripTrailing() + "\n");
            }
        }
        return data;
    }

    private static void writeRulesConfigMap(Map<String, String> data) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                # The default ruleset (seeds/rules), mounted into cta-engine as its rules directory. Ops edit it
                # here (kubectl edit / GitOps); the engine validates every change and activates it or refuses it.
                # A test checks it matches seeds/rules; regenerate with ./mvnw -pl deploy/k8s test -Dbeacon.k8s.write-rules=true
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: beacon-rules
                  namespace: beacon
                data:
                """);
        data.forEach((key, content) -> {
            yaml.append("  ").append(key).append(": |\n");
            content.stripTrailing().lines().forEach(line -> yaml.append(line.isEmpty() ? "" : "    " + line).append('\n'));
        });
        Files.writeString(DIR.resolve("rules-configmap.yaml"), yaml);
    }
}
