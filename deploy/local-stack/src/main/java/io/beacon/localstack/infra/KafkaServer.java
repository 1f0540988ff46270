package io.beacon.localstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * A real single-node KRaft Kafka broker inside this JVM.
 * <p>
 * Ports and the log directory are fixed at construction, so {@link #stop()} followed by
 * {@link #start()} brings the same broker back with its data: tests use that to simulate an outage.
 * A persistent broker keeps its log under a given directory between runs (the local stack); an
 * ephemeral one lives in a temporary directory removed by {@link #close()}.
 */
public final class KafkaServer implements AutoCloseable {

    private static final String CLUSTER_ID_FILE = "cluster.id";

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final String clusterId;
    private final boolean ephemeral;
    private EmbeddedKafkaBroker broker;

    private KafkaServer(int port, Path dataDir, String clusterId, boolean ephemeral) {
        this.port = port;
        this.controllerPort = FreePorts.pick();
        this.logDir = dataDir.resolve("log");
        this.clusterId = clusterId;
        this.ephemeral = ephemeral;
    }

    /** A throwaway broker on a free port. */
    public static KafkaServer ephemeral() {
        try {
            return new KafkaServer(FreePorts.pick(), Files.createTempDirectory("beacon-kafka"),
                    Uuid.randomUuid().toString(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker on a fixed port whose log is kept under {@code dataDir} between runs. */
    public static KafkaServer persistent(int port, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path idFile = dataDir.resolve(CLUSTER_ID_FILE);
        if (!Files.exists(idFile)) {
            // Formatted log dirs remember their cluster id; the broker must come back with the same one.
            Files.writeString(idFile, Uuid.randomUuid().toString());
        }
        return new KafkaServer(port, dataDir, Files.readString(idFile).trim(), false);
    }

    public synchronized KafkaServer start() {
        if (broker == null) {
            broker = new EmbeddedKafkaBroker()
                    .withNodeId(1)
                    .withKafkaHost("localhost")
                    .withKafkaPort(port)
                    .withControllerPort(controllerPort)
                    .withClusterId(clusterId)
                    .withDeleteLogDirsOnClose(false)
                    .withAdditionalProperties(this::configure)
                    .start();
        }
        return this;
    }

    private void configure(Properties props) {
        props.put("log.dir", logDir.toString());
        props.put("num.partitions", "6");
        // Every topic is created on purpose with its partitions and cleanup policy (see Topics.ALL).
        props.put("auto.create.topics.enable", "false");
    }

    /** Stops the broker and keeps its log; {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public synchronized boolean isRunning() {
        return broker != null;
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        stop();
        if (ephemeral) {
            deleteRecursively(logDir.getParent());
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
