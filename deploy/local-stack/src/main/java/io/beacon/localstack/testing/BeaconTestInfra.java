package io.beacon.localstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.beacon.localstack.infra.KafkaServer;
import io.beacon.localstack.infra.MailServer;
import io.beacon.localstack.infra.PostgresServer;
import io.beacon.localstack.infra.TopicProvisioner;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The infrastructure of one test JVM: a real Kafka broker, a real PostgreSQL, a real SMTP server and a signing key,
 * started once and shared by every test class of a module (tests use their own ids, so they do not
 * depend on each other's data or order).
 * <p>
 * {@code KAFKA_BOOTSTRAP_SERVERS} or {@code DB_URL} (with {@code DB_USER}/{@code DB_PASSWORD})
 * point the tests at real external servers instead of embedded ones.
 */
public final class BeaconTestInfra {

    private static BeaconTestInfra instance;

    private final KafkaServer kafka;
    private final String bootstrapServers;
    private final PostgresServer postgres;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final MailServer mail;
    private final DevTokens tokens;
    private final Path publicKeyFile;
    private KafkaCompanion companion;

    private BeaconTestInfra() throws Exception {
        String externalKafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (externalKafka == null || externalKafka.isBlank()) {
            kafka = KafkaServer.ephemeral().start();
            bootstrapServers = kafka.bootstrapServers();
        } else {
            kafka = null;
            bootstrapServers = externalKafka;
        }
        TopicProvisioner.ensureTopics(bootstrapServers);

        String externalDb = System.getenv("DB_URL");
        if (externalDb == null || externalDb.isBlank()) {
            postgres = PostgresServer.ephemeral().start();
            jdbcUrl = postgres.jdbcUrl();
            dbUser = PostgresServer.USER;
            dbPassword = PostgresServer.PASSWORD;
        } else {
            postgres = null;
            jdbcUrl = externalDb;
            dbUser = System.getenv().getOrDefault("DB_USER", PostgresServer.USER);
            dbPassword = System.getenv().getOrDefault("DB_PASSWORD", PostgresServer.PASSWORD);
        }

        // Mail is always in-process: tests read back what was sent.
        mail = MailServer.ephemeral().start();

        DevKeys keys = DevKeys.generate();
        Path keyDir = Files.createTempDirectory("beacon-test-keys");
        keys.writeTo(keyDir);
        publicKeyFile = keyDir.resolve(DevKeys.PUBLIC_KEY_FILE);
        tokens = new DevTokens(keys);
    }

    /** Starts the infrastructure on first call; it stops when the JVM exits. */
    public static synchronized BeaconTestInfra get() {
        if (instance == null) {
            try {
                instance = new BeaconTestInfra();
            } catch (Exception e) {
                throw new IllegalStateException("could not start Beacon's test infrastructure: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::shutdown, "beacon-test-infra-shutdown"));
        }
        return instance;
    }

    /** The embedded broker, to stop and start it in outage tests; fails when an external one is used. */
    public KafkaServer kafka() {
        if (kafka == null) {
            throw new IllegalStateException("KAFKA_BOOTSTRAP_SERVERS points at an external broker; it cannot be stopped from a test");
        }
        return kafka;
    }

    /** The embedded database server, to stop and start it in outage tests. */
    public PostgresServer postgres() {
        if (postgres == null) {
            throw new IllegalStateException("DB_URL points at an external database; it cannot be stopped from a test");
        }
        return postgres;
    }

    /** The SMTP server notification e-mail goes to; stop and start it for outage tests. */
    public MailServer mail() {
        return mail;
    }

    public synchronized KafkaCompanion companion() {
        if (companion == null) {
            companion = new KafkaCompanion(bootstrapServers);
        }
        return companion;
    }

    /**
     * Reads {@code topic} from the beginning until {@code count} records with {@code key} have
     * arrived. Tests use their own account ids as keys, so they see only their own records.
     */
    public List<ConsumerRecord<String, String>> awaitRecords(String topic, String key, int count, Duration timeout) {
        try (ConsumerTask<String, String> task = companion().consumeStrings()
                .withGroupId("test-reader-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(topic, records -> records.filter(r -> key.equals(r.key())))) {
            return task.awaitRecords(count, timeout).getRecords();
        }
    }

    public List<ConsumerRecord<String, String>> awaitRecords(String topic, String key, int count) {
        return awaitRecords(topic, key, count, Duration.ofSeconds(30));
    }

    /** Writes one record and waits until the broker has it. */
    public void send(String topic, String key, String value) {
        companion().produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** A bearer token for {@code role}; {@code subject} is a CSM id for the {@code csm} role. */
    public String token(String role, String subject) {
        return tokens.issue(role, subject);
    }

    /** Signs tokens with the key the services under test trust, e.g. for a test identity provider. */
    public DevTokens tokens() {
        return tokens;
    }

    public String token(String role) {
        return token(role, role + "-user");
    }

    private void shutdown() {
        try {
            if (companion != null) {
                companion.close();
            }
            mail.close();
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
