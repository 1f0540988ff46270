package io.beacon.engine.dashboard;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CtaEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * CTA changes for the screens that show them live. Every engine instance reads {@code ctas.events}
 * in a consumer group of its own, from the end, so a browser connected to any instance sees the
 * changes that every instance made, once they are committed and published.
 */
@ApplicationScoped
public class LiveFeed {

    public static final String CHANNEL = "ctas-live";
    private static final Logger LOG = Logger.getLogger(LiveFeed.class);

    /** What a screen needs to know to refresh: which CTA changed, how, and whose it is. */
    public record Change(String kind, String ctaId, String accountId, String reason, boolean escalated,
            String ownerCsmId, String priority) {

        static Change from(CtaEvent event) {
            return new Change(event.kind().name(), event.ctaId(), event.accountId(), event.reason(), event.escalated(),
                    event.ownerCsmId(), event.priority() == null ? null : event.priority().name());
        }
    }

    private final ObjectMapper json;
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();

    private record Subscriber(String csmId, MultiEmitter<? super Change> emitter) {
    }

    LiveFeed(ObjectMapper json) {
        this.json = json;
    }

    /** @param csmId only that CSM's CTAs, or every change when null */
    public Multi<Change> subscribe(String csmId) {
        return Multi.createFrom().<Change> emitter(emitter -> {
            Subscriber subscriber = new Subscriber(csmId, emitter);
            subscribers.add(subscriber);
            emitter.onTermination(() -> subscribers.remove(subscriber));
            emitter.emit(new Change("SUBSCRIBED", null, null, null, false, csmId, null));
        });
    }

    @Incoming(CHANNEL)
    public void received(String payload) {
        if (subscribers.isEmpty()) {
            return;
        }
        Change change;
        try {
            change = Change.from(json.readValue(payload, CtaEvent.class));
        } catch (Exception e) {
            LOG.debugf("Not a CTA event, not shown live: %s", e.getMessage());
            return;
        }
        for (Subscriber subscriber : subscribers) {
            if (subscriber.csmId() == null || subscriber.csmId().equals(change.ownerCsmId())) {
                subscriber.emitter().emit(change);
            }
        }
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    void stop(@Observes ShutdownEvent event) {
        subscribers.forEach(s -> s.emitter().complete());
    }
}
