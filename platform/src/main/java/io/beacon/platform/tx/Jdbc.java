package io.beacon.platform.tx;

import java.sql.PreparedStatement;
import java.sql.Types;

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
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        statement.setNull(i + 1, Types.NULL);
                    } else {
                        statement.setObject(i + 1, values[i]);
                    }
                }
                return statement.executeUpdate();
            }
        });
    }
}
