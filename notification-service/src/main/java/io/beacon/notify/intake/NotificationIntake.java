package io.beacon.notify.intake;

import io.beacon.notify.delivery.Dispatcher;
import io.beacon.notify.inbox.InboxService;
import io.beacon.notify.preferences.PreferenceService;
import io.beacon.notify.preferences.Preferences;
import io.beacon.platform.tx.Jdbc;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final Clock clock;

    NotificationIntake(EntityManager em, ObjectMapper json, Routing routing, PreferenceService preferences,
            InboxService inbox, Renderer renderer, Dispatcher dispatcher, NotifyConfig config, Clock clock) {
        this.em = em;
        this.json = json;
        this.routing = routing;
        this.preferences = preferences;
        this.inbox = inbox;
        this.renderer = renderer;
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
    }

    public record Accepted(int notifications, int duplicates, int deliveries) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Accepted accept(List<CtaEvent> events) {
        Instant now = clock.instant();
        Map<String, Recipient> directory = new HashMap<>();
        int fresh = 0;
        int duplicates = 0;
        int deliveries = 0;
        for (CtaEvent event : events) {
            AccountView account = AccountView.findById(event.accountId());
            if (!store(event, account, now)) {
                duplicates++;
                continue;
            }
            fresh++;
            CtaMessage message = CtaMessage.of(event, account != null ? account.name : null,
                    account != null && account.segment != null ? account.segment.name() : null, config.uiBaseUrl());
            for (Routing.Route route : routing.routes(event, account,
                    id -> directory.computeIfAbsent(id, key -> Recipient.findById(key)))) {
                if (route.channel() == Channel.INBOX) {
                    inbox.add(event, route.target().recipientId(), message, now);
                    insertDelivery(event, route, DeliveryStatus.SENT, null, now);
                    deliveries++;
                } else if (plan(event, route, now)) {
                    deliveries++;
                }
            }
        }
        if (deliveries > 0) {
            dispatcher.wakeAfterCommit();
        }
        return new Accepted(fresh, duplicates, deliveries);
    }

    /** @return false when the event id is already stored (a redelivery) */
    private boolean store(CtaEvent event, AccountView account, Instant now) {
        return Jdbc.update(em, """
                INSERT INTO notification (event_id, cta_id, account_id, kind, priority, escalated, account_name,
                                          segment, payload, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING
                """, event.eventId(), event.ctaId(), event.accountId(), event.kind().name(),
                event.priority() == null ? null : event.priority().name(), event.escalated(),
                account == null ? null : account.name,
                account == null || account.segment == null ? null : account.segment.name(), write(event),
                Timestamp.from(now)) == 1;
    }

    /**
     * Applies the recipient's preferences: escalations go at once, whatever the hour; otherwise the
     * mode for this channel and priority decides, and quiet hours hold an immediate delivery until they end.
     *
     * @return whether a delivery was planned (false when the recipient turned this channel off)
     */
    private boolean plan(CtaEvent event, Routing.Route route, Instant now) {
        RecipientRole role = route.target().role();
        boolean personal = role == RecipientRole.OWNER || role == RecipientRole.TEAM_LEAD;
        if (Routing.isEscalation(event) || !personal) {
            insertDelivery(event, route, DeliveryStatus.PENDING, now, now);
            return true;
        }
        Preferences prefs = preferences.of(route.target().recipientId());
        Mode mode = prefs.mode(route.channel(), event.priority());
        switch (mode) {
            case OFF:
                return false;
            case DIGEST:
                insertDelivery(event, route, DeliveryStatus.DIGEST, null, now);
                return true;
            default:
                insertDelivery(event, route, DeliveryStatus.PENDING, prefs.quietHoursOver(now), now);
                return true;
        }
    }

    private void insertDelivery(CtaEvent event, Routing.Route route, DeliveryStatus status, Instant due, Instant now) {
        Jdbc.update(em, """
                INSERT INTO delivery (event_id, recipient_id, recipient_role, channel, address, status,
                                      next_attempt_at, created_at, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id, recipient_id, channel) DO NOTHING
                """, event.eventId(), route.target().recipientId(), route.target().role().name(),
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
