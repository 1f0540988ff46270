package io.beacon.notify.delivery;

import io.beacon.platform.concurrent.Coalescing;
import io.beacon.platform.tx.AfterCommit;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import io.beacon.notify.channel.DeliveryFailure;
import io.beacon.notify.channel.EmailSender;
import io.beacon.notify.channel.WebhookSender;
import io.beacon.notify.channel.OutboundSender;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.content.CtaMessage;
import io.beacon.notify.content.Renderer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Sends due deliveries. Each channel has its own lane (one thread, one pass at a time), so a slow or
 * failing webhook never holds up e-mail. A pass claims due deliveries in a short transaction, sends
 * each outside any transaction, and records the outcome in another: a crash between sending and
 * recording means the delivery is sent again after its claim expires (at least once, never zero).
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final DeliveryLog log;
    private final DeliveryContent content;
    private final Renderer renderer;
    private final EmailSender email;
    private final WebhookSender webhook;
    private final OutboundSender outbound;
    private final NotifyConfig config;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<Channel, Lane> lanes = new EnumMap<>(Channel.class);

    Dispatcher(DeliveryLog log, DeliveryContent content, Renderer renderer, EmailSender email, WebhookSender webhook,
            OutboundSender outbound, NotifyConfig config, TransactionSynchronizationRegistry transactions) {
        this.outbound = outbound;
        this.log = log;
        this.content = content;
        this.renderer = renderer;
        this.email = email;
        this.webhook = webhook;
        this.config = config;
        this.transactions = transactions;
        lanes.put(Channel.EMAIL, new Lane(Channel.EMAIL));
        lanes.put(Channel.WEBHOOK, new Lane(Channel.WEBHOOK));
        lanes.put(Channel.OUTBOUND, new Lane(Channel.OUTBOUND));
    }

    /** Starts a pass of every channel that is not already running one, off the caller's thread. */
    @Scheduled(every = "${beacon.notify.dispatch.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void tick() {
        lanes.values().forEach(Lane::trigger);
    }

    /** Starts the lanes once the current transaction has committed the deliveries it planned. */
    public void wakeAfterCommit() {
        AfterCommit.run(transactions, this::tick);
    }

    /** Runs passes of one channel on the caller's thread until nothing is due; for tests and admin tools. */
    public int drain(Channel channel) {
        return lanes.get(channel).drainNow();
    }

    void stop(@Observes ShutdownEvent event) {
        lanes.values().forEach(lane -> lane.executor.shutdownNow());
    }

    /** Sends one delivery and records how it went; nothing about one delivery stops the others of the pass. */
    private void deliver(long id) {
        try {
            DeliveryContent.Outgoing outgoing;
            try {
                outgoing = content.load(id);
                send(outgoing);
            } catch (DeliveryFailure e) {
                log.failed(id, e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Delivery %d could not be prepared", id);
                log.failed(id, "could not prepare the message: " + e.getMessage());
                return;
            }
            log.succeeded(id);
        } catch (RuntimeException e) {
            // Not even its outcome could be recorded (the database is away, or the row is unreadable): the
            // claim runs out and the delivery is taken up again then.
            LOG.errorf(e, "Delivery %d: its outcome could not be recorded; it is taken up again when its claim ends", id);
        }
    }

    private void send(DeliveryContent.Outgoing outgoing) throws DeliveryFailure {
        Delivery delivery = outgoing.delivery();
        List<CtaMessage> messages = outgoing.messages();
        switch (delivery.channel) {
            case EMAIL -> email.send(delivery.id, delivery.address, delivery.isSummary()
                    ? renderer.summaryEmail(outgoing.summary(), outgoing.why())
                    : delivery.isDigest()
                    ? renderer.digestEmail(messages, delivery.digestDate, outgoing.name())
                    : renderer.email(messages.get(0), outgoing.name(), outgoing.why()));
            case WEBHOOK -> webhook.send(delivery.address, switch (chatFormat(delivery.address)) {
                case TEAMS -> delivery.isDigest() ? renderer.teamsDigest(messages, delivery.digestDate, owner(outgoing))
                        : renderer.teams(messages.get(0), owner(outgoing));
                case SLACK -> delivery.isDigest() ? renderer.digestChat(messages, delivery.digestDate, owner(outgoing))
                        : renderer.chat(messages.get(0), owner(outgoing),
                                config.slack().signingSecret().filter(x -> !x.isBlank()).isPresent() ? config.slack().snoozeDays() : 0);
            });
            case OUTBOUND -> outbound.send(delivery);
            case INBOX -> throw new IllegalStateException("inbox items are written at intake, not dispatched");
        }
    }

    /** What the chat webhook at {@code url} takes: its team's format, else the global one. */
    private NotifyConfig.ChatFormat chatFormat(String url) {
        return config.teams().values().stream()
                .filter(team -> team.webhookUrl().filter(url::equals).isPresent() && team.webhookFormat().isPresent())
                .map(team -> team.webhookFormat().get()).findFirst()
                .orElse(config.webhook().format());
    }

    private static String owner(DeliveryContent.Outgoing outgoing) {
        return outgoing.name() != null ? outgoing.name() : outgoing.delivery().recipientId;
    }

    /** One channel's sending: passes run one at a time; a trigger during a pass makes it go round again. */
    private final class Lane {

        private final Channel channel;
        private final Coalescing coalescing = new Coalescing(this::passes);
        private final ExecutorService executor;

        Lane(Channel channel) {
            this.channel = channel;
            this.executor = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "notify-" + channel.name().toLowerCase());
                thread.setDaemon(true);
                return thread;
            });
        }

        void trigger() {
            coalescing.requestOn(executor, e -> LOG.warnf("%s dispatch pass failed, will retry: %s", channel, e.getMessage()));
        }

        int drainNow() {
            return coalescing.exclusively(this::passes);
        }

        private int passes() {
            int total = 0;
            List<Long> claimed;
            do {
                claimed = log.claim(channel, config.dispatch().batchSize());
                claimed.forEach(Dispatcher.this::deliver);
                total += claimed.size();
            } while (claimed.size() == config.dispatch().batchSize());
            return total;
        }
    }
}
