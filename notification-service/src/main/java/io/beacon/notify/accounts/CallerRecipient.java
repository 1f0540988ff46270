package io.beacon.notify.accounts;

import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.beacon.notify.intake.Recipient;
import jakarta.enterprise.context.RequestScoped;
import jakarta.transaction.Transactional;

/**
 * The recipient the caller is: the one whose id is the token's name or, when the identity provider
 * names people otherwise, the one CSM whose e-mail is the token's {@code email} claim (as the engine
 * finds them).
 */
@RequestScoped
public class CallerRecipient {

    private final JsonWebToken token;
    private String id;

    CallerRecipient(JsonWebToken token) {
        this.token = token;
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
                }
            }
        }
        return id;
    }
}
