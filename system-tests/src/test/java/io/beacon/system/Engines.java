package io.beacon.system;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import io.beacon.contracts.Topics;
import io.beacon.localstack.testing.BeaconTestInfra;

/**
 * Packaged cta-engine processes on the shared test broker and database server, each test run in a
 * database and consumer group of its own, so runs neither see nor disturb each other's state.
 */
final class Engines implements AutoCloseable {

    private final BeaconTestInfra infra;
    private final List<ServiceProcess> started = new ArrayList<>();

    Engines(BeaconTestInfra infra) {
        this.infra = infra;
    }

    /** Creates an empty database on the test server; the engine migrates it at start. */
    String database(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword());
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** Starts an engine on {@code db} in consumer group {@code group} and waits until it is ready. */
    ServiceProcess start(String name, String db, String group) throws IOException {
        return start(name, db, group, Map.of());
    }

    /** The same, with settings of the test's own on top. */
    ServiceProcess start(String name, String db, String group, Map<String, String> settings) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put("DB_URL", jdbcUrl(db));
        env.put("DB_USER", infra.dbUser());
        env.put("DB_PASSWORD", infra.dbPassword());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", infra.publicKeyFile().toString());
        env.put("MP_MESSAGING_INCOMING_TICKETS_IN_GROUP_ID", group);
        env.put("MP_MESSAGING_INCOMING_ACCOUNTS_IN_GROUP_ID", group);
        env.putAll(settings);
        ServiceProcess engine = new ServiceProcess("cta-engine", name, env);
        started.add(engine);
        System.out.printf("%s ready in %d ms%n", name, engine.start().toMillis());
        return engine;
    }

    String jdbcUrl(String db) {
        return infra.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
    }

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), infra.dbUser(), infra.dbPassword());
    }

    /** A count query on {@code db}; -1 while the database cannot answer. */
    long count(String db, String sql) {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The tickets.events partitions each member of {@code group} owns (members without any are left out). */
    static Map<String, Set<Integer>> ticketPartitionsByMember(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                .get(10, TimeUnit.SECONDS).get(group);
        Map<String, Set<Integer>> owners = new HashMap<>();
        for (MemberDescription member : description.members()) {
            for (TopicPartition p : member.assignment().topicPartitions()) {
                if (p.topic().equals(Topics.TICKETS_EVENTS)) {
                    owners.computeIfAbsent(member.consumerId(), k -> new TreeSet<>()).add(p.partition());
                }
            }
        }
        return owners;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess engine : started) {
            engine.close();
        }
    }
}
