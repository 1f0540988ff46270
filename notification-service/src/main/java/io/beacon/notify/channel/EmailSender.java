package io.beacon.notify.channel;

import java.time.Duration;

import io.beacon.notify.content.Renderer;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends e-mail over SMTP through the Quarkus mailer ({@code quarkus.mailer.*}). */
@ApplicationScoped
public class EmailSender {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMailer mailer;

    EmailSender(ReactiveMailer mailer) {
        this.mailer = mailer;
    }

    public void send(long deliveryId, String to, Renderer.Email email) throws DeliveryFailure {
        Mail mail = Mail.withText(to, email.subject(), email.text())
                .setHtml(email.html())
                // Lets a mail filter or a support engineer match a message to its delivery log entry.
                .addHeader("X-Beacon-Delivery", Long.toString(deliveryId));
        try {
            mailer.send(mail).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            throw new DeliveryFailure("SMTP delivery to " + to + " failed: " + reason(e), e);
        }
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
