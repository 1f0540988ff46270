package io.beacon.notify.inbox;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Live inbox updates for server-sent-event subscribers. The database announces every inbox insert
 * and read-state change ({@code NOTIFY beacon_inbox}, sent on commit by a trigger); each instance
 * LISTENs on a connection of its own and forwards changes to the subscribers of that recipient.
 * So a subscriber on one instance sees items that another instance wrote, and never an item whose
 * transaction rolled back. After a lost connection it reconnects; clients reload the list on reconnect.
 */
@ApplicationScoped
public class InboxFeed {

    static final String CHANNEL = "beacon_inbox";

    private static final Logger LOG = Logger.getLogger(InboxFeed.class);

    /** {@code subscribed} opens every stream with the current unread count; then {@code insert} and {@code update}. */
    public record Change(String op, InboxItem item, long unread) {
    }

    private final InboxService inbox;
    private final ObjectMapper json;
    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final Map<String, Set<MultiEmitter<? super Change>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread listener;

    InboxFeed(InboxService inbox, ObjectMapper json, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.inbox = inbox;
        this.json = json;
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        listener = new Thread(this::listen, "inbox-feed");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
        subscribers.values().forEach(set -> set.forEach(MultiEmitter::complete));
    }

    public Multi<Change> subscribe(String recipient) {
        return Multi.createFrom().<Change> emitter(emitter -> {
            subscribers.computeIfAbsent(recipient, key -> new CopyOnWriteArraySet<>()).add(emitter);
            emitter.onTermination(() -> subscribers.computeIfPresent(recipient, (key, set) -> {
                set.remove(emitter);
                return set.isEmpty() ? null : set;
            }));
            emitter.emit(new Change("subscribed", null, inbox.unread(recipient)));
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()); // the unread count is a blocking query
    }

    public int subscriberCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET search_path TO " + schema);
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                backoff = 500;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        forward(connection, notifications);
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Inbox feed lost its database connection, reconnecting in %d ms: %s", backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * Forwards what arrived since the last call: the items and unread counts of the recipients
     * someone is subscribed to, read with two queries on the listening connection, whatever the number.
     */
    private void forward(Connection connection, PGNotification[] notifications) throws SQLException {
        Map<Long, String> ops = new LinkedHashMap<>();
        Set<String> recipients = new HashSet<>();
        for (PGNotification notification : notifications) {
            try {
                JsonNode change = json.readTree(notification.getParameter());
                String recipient = change.path("recipient").asText();
                if (subscribers.containsKey(recipient)) {
                    ops.put(change.path("id").asLong(), change.path("op").asText());
                    recipients.add(recipient);
                }
            } catch (IOException e) {
                LOG.warnf("Unreadable inbox change %s: %s", notification.getParameter(), e.getMessage());
            }
        }
        if (ops.isEmpty()) {
            return;
        }
        Map<String, Long> unread = new HashMap<>();
        try (PreparedStatement count = connection.prepareStatement("""
                SELECT recipient_id, count(*) FROM inbox_item
                WHERE recipient_id = ANY(?) AND read_at IS NULL GROUP BY recipient_id""")) {
            count.setArray(1, connection.createArrayOf("varchar", recipients.toArray()));
            try (ResultSet rs = count.executeQuery()) {
                while (rs.next()) {
                    unread.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        try (PreparedStatement items = connection.prepareStatement("""
                SELECT id, cta_event_id, recipient_id, cta_id, account_id, kind, cta_type, priority, escalated, title,
                       account_name, segment, body, link, created_at, read_at
                FROM inbox_item WHERE id = ANY(?) ORDER BY id""")) {
            items.setArray(1, connection.createArrayOf("bigint", ops.keySet().toArray()));
            try (ResultSet rs = items.executeQuery()) {
                while (rs.next()) {
                    InboxItem item = item(rs);
                    Change change = new Change(ops.get(item.id), item, unread.getOrDefault(item.recipientId, 0L));
                    Set<MultiEmitter<? super Change>> listeners = subscribers.get(item.recipientId);
                    if (listeners != null) {
                        listeners.forEach(emitter -> emitter.emit(change));
                    }
                }
            }
        }
    }

    private static InboxItem item(ResultSet rs) throws SQLException {
        InboxItem item = new InboxItem();
        item.id = rs.getLong("id");
        item.ctaEventId = rs.getString("cta_event_id");
        item.recipientId = rs.getString("recipient_id");
        item.ctaId = rs.getString("cta_id");
        item.accountId = rs.getString("account_id");
        item.kind = rs.getString("kind");
        item.ctaType = rs.getString("cta_type");
        item.priority = rs.getString("priority");
        item.escalated = rs.getBoolean("escalated");
        item.title = rs.getString("title");
        item.accountName = rs.getString("account_name");
        item.segment = rs.getString("segment");
        item.body = rs.getString("body");
        item.link = rs.getString("link");
        item.createdAt = instant(rs.getTimestamp("created_at"));
        item.readAt = instant(rs.getTimestamp("read_at"));
        return item;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
