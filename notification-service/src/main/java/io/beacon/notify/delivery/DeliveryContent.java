package io.beacon.notify.delivery;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.content.CtaMessage;
import io.beacon.notify.intake.Recipient;
import io.beacon.notify.summary.WeeklySummary;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.EntityManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Loads what a delivery is to say: its CTA change, for a digest every change it carries, or a weekly summary. */
@ApplicationScoped
public class DeliveryContent {

    private final ObjectMapper json;
    private final NotifyConfig config;
    private final EntityManager em;

    DeliveryContent(ObjectMapper json, NotifyConfig config, EntityManager em) {
        this.json = json;
        this.config = config;
        this.em = em;
    }

    /**
     * @param name the recipient's name when known; {@code why} tells them why they receive it
     * @param summary set (and {@code messages} empty) for a weekly executive summary
     */
    public record Outgoing(Delivery delivery, List<CtaMessage> messages, String name, String why, WeeklySummary summary) {
    }

    @Transactional
    public Outgoing load(long deliveryId) {
        Delivery delivery = Delivery.findById(deliveryId);
        if (delivery.isSummary()) {
            return new Outgoing(delivery, List.of(), null, why(delivery, null), summary(delivery.summaryId));
        }
        List<CtaMessage> messages;
        if (delivery.isDigest()) {
            List<Delivery> items = Delivery.list("digestId", Sort.ascending("id"), delivery.id);
            messages = items.stream().map(item -> message(Notification.findById(item.eventId))).toList();
        } else {
            messages = List.of(message(Notification.findById(delivery.eventId)));
        }
        Recipient recipient = Recipient.findById(delivery.recipientId);
        return new Outgoing(delivery, messages, recipient != null ? recipient.name : null, why(delivery, recipient), null);
    }

    private WeeklySummary summary(long summaryId) {
        Object content = em.createNativeQuery("SELECT content FROM weekly_summary WHERE id = ?1")
                .setParameter(1, summaryId).getSingleResult();
        try {
            return json.readValue((String) content, WeeklySummary.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored weekly summary " + summaryId + " is unreadable", e);
        }
    }

    private CtaMessage message(Notification notification) {
        try {
            CtaEvent event = json.readValue(notification.payload, CtaEvent.class);
            return CtaMessage.of(event, notification.accountName, notification.segment, config.uiBaseUrl());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored CTA event " + notification.eventId + " is unreadable", e);
        }
    }

    private static String why(Delivery delivery, Recipient recipient) {
        return switch (delivery.recipientRole) {
            case OWNER -> "You receive this as the CSM who owns the account.";
            case TEAM_LEAD -> "You receive this as lead of team " + (recipient != null && recipient.team != null
                    ? recipient.team : "of the account's CSM") + ", because the CTA was escalated.";
            case TEAM_QUEUE -> "The account has no CSM assigned, so this went to the team queue.";
            case EXECUTIVE -> delivery.isSummary()
                    ? "You receive this weekly because you are on Beacon's executive escalation list."
                    : "You receive this because you are on Beacon's executive escalation list.";
            case SUBSCRIPTION -> "Sent to webhook subscription " + delivery.recipientId + ".";
        };
    }
}
