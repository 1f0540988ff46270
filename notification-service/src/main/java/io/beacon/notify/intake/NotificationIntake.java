package io.beacon.notify.intake;

import io.beacon.notify.delivery.Dispatcher;
import io.beacon.notify.inbox.InboxService;
import io.beacon.notify.preferences.PreferenceService;
import io.beacon.notify.preferences.Preferences;
import io.beacon.platform.tx.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.content.CtaMessage;
import io.beacon.notify.content.Renderer;
import io.beacon.accountview.AccountView;
import io.beacon.notify.delivery.Channel;
import io.beacon.notify.delivery.DeliveryStatus;
import io.beacon.notify.preferences.Mode;
import io.beacon.notify.summary.CtaViews;
import io.beacon.notify.subscriptions.WebhookSubscriptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Accepts CTA events: each new event id is stored once with its inbox items and the deliveries it
 * owes, in the caller's transaction. A redelivered event finds its id taken and adds nothing, so a
 * record consumed twice never notifies twice. Sending happens later, in the {@link Dispatcher}.
 */
@ApplicationScoped
public class NotificationIntake {

    private final EntityManager em;
    private final ObjectMapper json;
    private final Routing routing;
    private final PreferenceService preferences;
    private final InboxService inbox;
    private final Renderer renderer;
    private final Dispatcher dispatcher;
    private final NotifyConfig config;
    private final CtaViews ctaViews;
    private final WebhookSubscriptions subscriptions;
    private final Clock clock;

    NotificationIntake(EntityManager em, ObjectMapper json, Routing routing, PreferenceService preferences,
            InboxService inbox, Renderer renderer, Dispatcher dispatcher, NotifyConfig config, CtaViews ctaViews,
            WebhookSubscriptions subscriptions, Clock clock) {
        this.subscriptions = subscriptions;
        this.em = em;
        this.json = json;
        this.routing = routing;
        this.preferences = preferences;
        this.inbox = inbox;
        this.renderer = renderer;
        this.dispatcher = dispatcher;
        this.config = config;
        this.ctaViews = ctaViews;
        this.clock = clock;
    }

    public record Accepted(int notifications, int duplicates, int deliveries) {
    }

    /**
     * Set-based, whatever the batch size: the accounts in one query, the notifications in one
     * statement (which also tells the new event ids from redeliveries), recipients and preferences once
     * each per batch, and the inbox items and deliveries in one batched statement each.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Accepted accept(List<CtaEvent> events) {
        Instant now = clock.instant();
        Map<String, AccountView> accounts = accounts(events);
        Set<String> fresh = store(events, accounts, now);
        ctaViews.apply(firstCopies(events, fresh), now);
        Map<String, Recipient> directory = new HashMap<>();
        Map<String, Preferences> preferencesOf = new HashMap<>();
        Jdbc.Batch items = inbox.newItems();
        Jdbc.Batch deliveries = Jdbc.batch(DELIVERY);
        List<WebhookSubscriptions.Subscription> wanted = events.isEmpty() ? List.of() : subscriptions.active();
        int duplicates = 0;
        for (CtaEvent event : events) {
            // A redelivered id, or the second copy of an id within this batch.
            if (!fresh.remove(event.eventId())) {
                duplicates++;
                continue;
            }
            AccountView account = accounts.get(event.accountId());
            CtaMessage message = CtaMessage.of(event, account != null ? account.name : null,
                    account != null && account.segment != null ? account.segment.name() : null, config.uiBaseUrl());
            for (Routing.Route route : routing.routes(event, account,
                    id -> directory.computeIfAbsent(id, key -> Recipient.findById(key)))) {
                if (route.channel() == Channel.INBOX) {
                    inbox.add(items, event, route.target().recipientId(), message, now);
                    delivery(deliveries, event, route, DeliveryStatus.SENT, null, now);
                } else {
                    plan(deliveries, event, route, now, preferencesOf);
                }
            }
            // Subscribed systems get every change they asked for, at once (no preferences, no quiet hours).
            String team = account != null ? account.csmTeam : null;
            for (WebhookSubscriptions.Subscription subscription : wanted) {
                if (subscription.wants(event, WebhookSubscriptions.segment(account), team)) {
                    delivery(deliveries, event, new Routing.Route(new Routing.Target(subscription.recipientId(),
                            RecipientRole.SUBSCRIPTION, subscription.name(), null, team), Channel.OUTBOUND, subscription.id()),
                            DeliveryStatus.PENDING, now, now);
                }
            }
        }
        items.execute(em);
        int planned = deliveries.size();
        deliveries.execute(em);
        if (planned > 0) {
            dispatcher.wakeAfterCommit();
        }
        return new Accepted(events.size() - duplicates, duplicates, planned);
    }

    /** Each new event once (a batch may carry the same id twice). */
    private static List<CtaEvent> firstCopies(List<CtaEvent> events, Set<String> fresh) {
        Set<String> seen = new HashSet<>();
        return events.stream().filter(e -> fresh.contains(e.eventId()) && seen.add(e.eventId())).toList();
    }

    /** The events' accounts as account-service last described them (absent when not seen yet). */
    private Map<String, AccountView> accounts(List<CtaEvent> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.accountId()));
        Map<String, AccountView> byId = new HashMap<>();
        AccountView.<AccountView> list("accountId in ?1", ids).forEach(view -> byId.put(view.accountId, view));
        return byId;
    }

    /** Stores every event once, in one statement; @return the ids that were new (not redeliveries) */
    private Set<String> store(List<CtaEvent> events, Map<String, AccountView> accounts, Instant now) {
        int n = events.size();
        String[] ids = new String[n];
        String[] ctas = new String[n];
        String[] accountIds = new String[n];
        String[] kinds = new String[n];
        String[] priorities = new String[n];
        Boolean[] escalated = new Boolean[n];
        String[] names = new String[n];
        String[] segments = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            CtaEvent event = events.get(i);
            AccountView account = accounts.get(event.accountId());
            ids[i] = event.eventId();
            ctas[i] = event.ctaId();
            accountIds[i] = event.accountId();
            kinds[i] = event.kind().name();
            priorities[i] = event.priority() == null ? null : event.priority().name();
            escalated[i] = event.escalated();
            names[i] = account == null ? null : account.name;
            segments[i] = account == null || account.segment == null ? null : account.segment.name();
            payloads[i] = write(event);
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            Set<String> inserted = new HashSet<>();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO notification (event_id, cta_id, account_id, kind, priority, escalated, account_name,
                                              segment, payload, received_at)
                    SELECT e.*, ? FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                              ?::boolean[], ?::text[], ?::varchar[], ?::text[]) AS e
                    ON CONFLICT (event_id) DO NOTHING
                    RETURNING event_id
                    """)) {
                insert.setTimestamp(1, Timestamp.from(now));
                insert.setArray(2, connection.createArrayOf("varchar", ids));
                insert.setArray(3, connection.createArrayOf("varchar", ctas));
                insert.setArray(4, connection.createArrayOf("varchar", accountIds));
                insert.setArray(5, connection.createArrayOf("varchar", kinds));
                insert.setArray(6, connection.createArrayOf("varchar", priorities));
                insert.setArray(7, connection.createArrayOf("boolean", escalated));
                insert.setArray(8, connection.createArrayOf("text", names));
                insert.setArray(9, connection.createArrayOf("varchar", segments));
                insert.setArray(10, connection.createArrayOf("text", payloads));
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(rows.getString(1));
                    }
                }
            }
            return inserted;
        });
    }

    /**
     * Applies the recipient's preferences: escalations go at once, whatever the hour; otherwise the
     * mode for this channel and priority decides, and quiet hours hold an immediate delivery until they end.
     * Nothing is planned when the recipient turned this channel off.
     */
    private void plan(Jdbc.Batch deliveries, CtaEvent event, Routing.Route route, Instant now,
            Map<String, Preferences> preferencesOf) {
        RecipientRole role = route.target().role();
        boolean personal = role == RecipientRole.OWNER || role == RecipientRole.TEAM_LEAD;
        if (Routing.isEscalation(event) || !personal) {
            delivery(deliveries, event, route, DeliveryStatus.PENDING, now, now);
            return;
        }
        Preferences prefs = preferencesOf.computeIfAbsent(route.target().recipientId(), preferences::of);
        Mode mode = prefs.mode(route.channel(), event.priority());
        switch (mode) {
            case OFF:
                return;
            case DIGEST:
                delivery(deliveries, event, route, DeliveryStatus.DIGEST, null, now);
                return;
            default:
                delivery(deliveries, event, route, DeliveryStatus.PENDING, prefs.quietHoursOver(now), now);
        }
    }

    private static final String DELIVERY = """
            INSERT INTO delivery (event_id, recipient_id, recipient_role, channel, address, status,
                                  next_attempt_at, created_at, sent_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id, recipient_id, channel) DO NOTHING
            """;

    private static void delivery(Jdbc.Batch deliveries, CtaEvent event, Routing.Route route, DeliveryStatus status,
            Instant due, Instant now) {
        deliveries.add(event.eventId(), route.target().recipientId(), route.target().role().name(),
                route.channel().name(), route.address(), status.name(), due == null ? null : Timestamp.from(due),
                Timestamp.from(now), status == DeliveryStatus.SENT ? Timestamp.from(now) : null);
    }

    private String write(CtaEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("CTA event cannot be written as JSON", e);
        }
    }
}
