package io.beacon.notify.service;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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

import io.beacon.notify.domain.InboxItem;
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
    private final Map<String, Set<MultiEmitter<? super Change>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread listener;

    InboxFeed(InboxService inbox, ObjectMapper json, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.inbox = inbox;
        this.json = json;
        this.url = url;
        this.user = user;
        this.password = password;
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
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                backoff = 500;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            forward(notification.getParameter());
                        }
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

    private void forward(String payload) {
        try {
            JsonNode change = json.readTree(payload);
            String recipient = change.path("recipient").asText();
            Set<MultiEmitter<? super Change>> listeners = subscribers.get(recipient);
            if (listeners == null || listeners.isEmpty()) {
                return;
            }
            InboxItem item = inbox.item(change.path("id").asLong()).orElse(null);
            if (item == null) {
                return;
            }
            Change forwarded = new Change(change.path("op").asText(), item, inbox.unread(recipient));
            listeners.forEach(emitter -> emitter.emit(forwarded));
        } catch (Exception e) {
            LOG.warnf("Could not forward inbox change %s: %s", payload, e.getMessage());
        }
    }
}
