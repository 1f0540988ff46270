package io.beacon.engine.support;

import java.time.Clock;

import io.beacon.localstack.testing.TestClock;
import io.quarkus.test.Mock;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Replaces the engine's clock in tests with {@link TestClock}. */
@Mock
public class TestClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return TestClock.INSTANCE;
    }
}
