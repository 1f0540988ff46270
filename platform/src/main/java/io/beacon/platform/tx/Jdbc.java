package io.beacon.platform.tx;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.hibernate.Session;

import jakarta.persistence.EntityManager;

/** Plain JDBC on the transaction's connection: nulls are bound untyped, which native JPA queries cannot promise. */
public final class Jdbc {

    private Jdbc() {
    }

    /** @return the number of rows the statement changed */
    public static int update(EntityManager em, String sql, Object... values) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, values);
                return statement.executeUpdate();
            }
        });
    }

    /** Rows for one statement, collected and then sent together. */
    public static Batch batch(String sql) {
        return new Batch(sql);
    }

    /**
     * One statement's rows, sent in one JDBC batch (with the driver's {@code reWriteBatchedInserts}, as
     * multi-row inserts): a round trip per batch instead of one per row.
     */
    public static final class Batch {
        private final String sql;
        private final List<Object[]> rows = new ArrayList<>();

        private Batch(String sql) {
            this.sql = sql;
        }

        public void add(Object... values) {
            rows.add(values);
        }

        public int size() {
            return rows.size();
        }

        /** Sends the rows collected so far, in the order they were added, and forgets them. */
        public void execute(EntityManager em) {
            if (rows.isEmpty()) {
                return;
            }
            em.unwrap(Session.class).doWork(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (Object[] row : rows) {
                        bind(statement, row);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            });
            rows.clear();
        }
    }

    private static void bind(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, values[i]);
            }
        }
    }
}
