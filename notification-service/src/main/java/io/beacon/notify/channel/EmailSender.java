package io.beacon.notify.channel;

import io.beacon.notify.delivery.Delivery;
import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.beacon.notify.content.Renderer;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends e-mail over SMTP through the Quarkus mailer ({@code quarkus.mailer.*}). */
@ApplicationScoped
public class EmailSender {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMailer mailer;
    private final String domain;

    EmailSender(ReactiveMailer mailer, @ConfigProperty(name = "quarkus.mailer.from") Optional<String> from) {
        this.mailer = mailer;
        this.domain = from.map(EmailSender::domainOf).orElse("beacon.invalid");
    }

    /**
     * The Message-ID of a delivery's e-mail: the same on every attempt. SMTP cannot tell a sender
     * whether a message whose reply was lost (a crash after the server took it) arrived, so such a
     * delivery is sent again; with the same Message-ID the copy is the same message to the
     * recipient's mail system, which shows it once.
     */
    public String messageId(long deliveryId) {
        return "<beacon-delivery-" + deliveryId + "@" + domain + ">";
    }

    public void send(long deliveryId, String to, Renderer.Email email) throws DeliveryFailure {
        Mail mail = Mail.withText(to, email.subject(), email.text())
                .setHtml(email.html())
                .addHeader("Message-ID", messageId(deliveryId))
                // Lets a mail filter or a support engineer match a message to its delivery log entry.
                .addHeader("X-Beacon-Delivery", Long.toString(deliveryId));
        try {
            mailer.send(mail).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            throw new DeliveryFailure("SMTP delivery to " + to + " failed: " + reason(e), e);
        }
    }

    static String domainOf(String from) {
        String address = from.contains("<") ? from.substring(from.indexOf('<') + 1, from.indexOf('>', from.indexOf('<')))
                : from.trim();
        int at = address.lastIndexOf('@');
        return at >= 0 && at < address.length() - 1 ? address.substring(at + 1) : "beacon.invalid";
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
