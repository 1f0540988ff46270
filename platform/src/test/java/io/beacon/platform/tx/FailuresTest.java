package io.beacon.platform.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailuresTest {

    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("commit failed", new IllegalStateException("statement failed", cause));
    }

    @ParameterizedTest(name = "SQLSTATE {0} is worth retrying")
    @ValueSource(strings = { "08006", "08001", "40001", "40P01", "57P01", "57P03", "53300", "55P03" })
    void outagesDeadlocksAndRestartsAreTransient(String state) {
        assertThat(Failures.isTransient(wrapped(new SQLException("x", state)))).isTrue();
    }

    @ParameterizedTest(name = "SQLSTATE {0} will fail again")
    @ValueSource(strings = { "22021", "22008", "22001", "23505", "23502", "42P01" })
    void valuesTheDatabaseRefusesArePermanent(String state) {
        assertThat(Failures.isTransient(wrapped(new SQLException("x", state)))).isFalse();
    }

    @Test
    void aLostConnectionWithoutSqlStateIsTransientAndABugIsNot() {
        assertThat(Failures.isTransient(wrapped(new ConnectException("refused")))).isTrue();
        assertThat(Failures.isTransient(wrapped(new NullPointerException()))).isFalse();
    }

    @Test
    void theRootMessageSaysWhatTheDatabaseRefused() {
        assertThat(Failures.rootMessage(wrapped(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00",
                "22021")))).isEqualTo("SQLException: invalid byte sequence for encoding \"UTF8\": 0x00");
    }
}
