package io.beacon.platform.tx;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a failure worth retrying (the database is away, restarting, or asked us to try again) from
 * one that will happen again with the same input (a value it refuses, a bug).
 */
public final class Failures {

    private Failures() {
    }

    /**
     * Transient: connection errors (SQLSTATE class 08), serialization failures and deadlocks (40001,
     * 40P01), an administrator's or crash shutdown (57P), too many connections or out of resources
     * (53), lock not available (55P03), I/O errors (58030), and connection-level Java exceptions.
     * A data exception (22), an integrity violation (23) or anything else is permanent.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.startsWith("57P")
                        || state.startsWith("53") || state.equals("55P03") || state.equals("58030")) {
                    return true;
                }
                if (state.startsWith("22") || state.startsWith("23")) {
                    return false;
                }
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof ConnectException || t instanceof SocketException || t instanceof EOFException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t.getClass().getSimpleName().equals("JDBCConnectionException")
                    || t.getClass().getSimpleName().equals("LockTimeoutException")
                    || t.getClass().getSimpleName().equals("PessimisticLockException")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, which is what says what the database refused. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + (message.length() > 500 ? message.substring(0, 500) + "…" : message);
    }
}
