package io.beacon.localstack.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky's packaged binaries) run as a child process.
 * <p>
 * Beacon uses one database, {@value #DATABASE}; each service owns a schema in it and migrates that
 * schema itself with Flyway.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "beacon";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final int port;
    private final Path dataDir;
    private final boolean ephemeral;
    private EmbeddedPostgres postgres;

    private PostgresServer(int port, Path dataDir, boolean ephemeral) {
        this.port = port;
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
    }

    public static PostgresServer ephemeral() {
        try {
            return new PostgresServer(FreePorts.pick(), Files.createTempDirectory("beacon-pg"), true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static PostgresServer persistent(int port, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        return new PostgresServer(port, dataDir, false);
    }

    public synchronized PostgresServer start() throws IOException, SQLException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir.resolve("data"))
                    // Never let zonky clean: it would delete the data on stop, and a restart (an outage in
                    // a test) must find it again. initdb runs when the directory holds no cluster yet;
                    // a throwaway server's directory is removed by close().
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", ephemeral ? "off" : "on")
                    .start();
            createDatabaseIfMissing();
        }
        return this;
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        }
    }

    public synchronized void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException {
        stop();
        if (ephemeral) {
            KafkaServer.deleteRecursively(dataDir);
        }
    }
}
