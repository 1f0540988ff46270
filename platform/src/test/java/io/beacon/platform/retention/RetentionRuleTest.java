package io.beacon.platform.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RetentionRuleTest {

    @Test
    void configuredAgesMustBePositive() {
        assertThat(Retention.problems(Map.of("processed-events", Duration.ofDays(14)))).isEmpty();
        assertThat(Retention.problems(Map.of("processed-events", Duration.ofDays(-1))))
                .singleElement().asString().contains("processed-events").contains("must be a positive duration");
        assertThat(Retention.problems(Map.of("processed-events", Duration.ZERO))).hasSize(1);
    }

    @Test
    void aRuleIsMadeOfIdentifiersOnlyAndAPositiveAge() {
        assertThatThrownBy(() -> RetentionRule.olderThan("x", "t; DROP TABLE t", "c", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionRule.olderThan("x", "t", "c", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetentionRule.olderThan("relayed-outbox", "outbox_event", "published_at", Duration.ofDays(1)).deleteBatch())
                .isEqualTo("DELETE FROM outbox_event WHERE ctid = ANY(ARRAY(SELECT ctid FROM outbox_event WHERE published_at "
                        + "< now() - make_interval(secs => ?1) AND (TRUE) LIMIT ?2 FOR UPDATE SKIP LOCKED))");
    }
}
