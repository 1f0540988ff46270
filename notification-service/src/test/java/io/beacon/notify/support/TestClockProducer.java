package io.beacon.notify.support;

import java.time.Clock;

import io.beacon.localstack.testing.TestClock;
import io.quarkus.test.Mock;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Replaces the service's clock in tests with {@link TestClock}, so quiet hours and digests can be reached. */
@Mock
public class TestClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return TestClock.INSTANCE;
    }
}
