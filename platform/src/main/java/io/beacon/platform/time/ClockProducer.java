package io.beacon.platform.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The clock every time-dependent decision reads (time-based rules, quiet hours, digests); tests
 * replace it with a {@code @Mock} producer to move time forward.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
