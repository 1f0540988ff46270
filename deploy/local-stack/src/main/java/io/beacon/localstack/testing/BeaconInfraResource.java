package io.beacon.localstack.testing;

import java.util.Map;

import io.beacon.localstack.security.DevTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus application under test at {@link BeaconTestInfra}: real Kafka, real PostgreSQL,
 * and the test signing key. Use it with {@code @QuarkusTestResource(BeaconInfraResource.class)}.
 */
public class BeaconInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        BeaconTestInfra infra = BeaconTestInfra.get();
        return Map.of(
                "kafka.bootstrap.servers", infra.bootstrapServers(),
                "quarkus.mailer.host", infra.mail().host(),
                "quarkus.mailer.port", Integer.toString(infra.mail().smtpPort()),
                "quarkus.datasource.jdbc.url", infra.jdbcUrl(),
                "quarkus.datasource.username", infra.dbUser(),
                "quarkus.datasource.password", infra.dbPassword(),
                "mp.jwt.verify.publickey.location", infra.publicKeyFile().toUri().toString(),
                "mp.jwt.verify.issuer", DevTokens.ISSUER);
    }

    @Override
    public void stop() {
        // The servers outlive one application start: the next test class reuses them, the JVM's exit stops them.
    }
}
