package io.beacon.notify.accounts;

import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.intake.Recipient;
import io.beacon.notify.intake.Routing;
import jakarta.enterprise.context.RequestScoped;
import jakarta.transaction.Transactional;

/**
 * The recipient the caller is: the one whose id is the token's name or, when the identity provider
 * names people otherwise, the one CSM whose e-mail is the token's {@code email} claim (as the engine
 * finds them), or for someone on the executive escalation list whose {@code email} claim is a listed
 * address, that list entry ({@code exec:<address>}).
 */
@RequestScoped
public class CallerRecipient {

    private final JsonWebToken token;
    private final NotifyConfig config;
    private String id;

    CallerRecipient(JsonWebToken token, NotifyConfig config) {
        this.token = token;
        this.config = config;
    }

    @Transactional
    public String id() {
        if (id == null) {
            String name = token.getName();
            String email = token.getClaim("email");
            id = name;
            if (Recipient.findById(name) == null && email != null && !email.isBlank()) {
                List<Recipient> found = Recipient.list("lower(email) = ?1", email.toLowerCase(Locale.ROOT));
                if (found.size() == 1) {
                    id = found.get(0).recipientId;
                } else if (found.isEmpty()) {
                    // An executive on the escalation list: their preferences (time zone) are those of the list entry.
                    config.escalations().emails().orElse(List.of()).stream().map(String::trim)
                            .filter(listed -> listed.equalsIgnoreCase(email.trim())).findFirst()
                            .ifPresent(listed -> id = Routing.EXECUTIVE_PREFIX + listed);
                }
            }
        }
        return id;
    }
}
