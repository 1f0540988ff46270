package io.beacon.notify.slack;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import io.beacon.notify.accounts.CallerRecipient;
import io.beacon.platform.errors.Refusal;
import io.beacon.platform.tx.Jdbc;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A CSM's Slack user id, so that what they click in Slack is done in their name. */
@Path("/api/v1/chat-identities/slack")
@Tag(name = "Chat")
@Produces(MediaType.APPLICATION_JSON)
public class ChatIdentities {

    static final String SLACK = "slack";
    private static final Pattern SLACK_USER = Pattern.compile("[UW][A-Z0-9]{2,30}");

    private final EntityManager em;
    private final CallerRecipient me;
    private final Clock clock;

    ChatIdentities(EntityManager em, CallerRecipient me, Clock clock) {
        this.em = em;
        this.me = me;
        this.clock = clock;
    }

    public record SlackIdentity(String userId) {
    }

    @GET
    @RolesAllowed(Roles.CSM)
    @Operation(summary = "The caller's linked Slack user id (null when none)")
    @Transactional
    public SlackIdentity mine() {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery(
                "SELECT external_user_id FROM chat_identity WHERE provider = ?1 AND recipient_id = ?2")
                .setParameter(1, SLACK).setParameter(2, me.id()).getResultList();
        return new SlackIdentity(ids.stream().findFirst().orElse(null));
    }

    @PUT
    @RolesAllowed(Roles.CSM)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Link the caller's Slack user id (Slack: profile → ⋮ → Copy member ID)")
    @Transactional
    public SlackIdentity link(@NotNull SlackIdentity identity) {
        String userId = identity.userId() == null ? "" : identity.userId().trim();
        if (!SLACK_USER.matcher(userId).matches()) {
            throw Refusal.invalid("userId", "a Slack member id, such as U024BE7LH");
        }
        Jdbc.update(em, "DELETE FROM chat_identity WHERE provider = ? AND (recipient_id = ? OR external_user_id = ?)",
                SLACK, me.id(), userId);
        Jdbc.update(em, "INSERT INTO chat_identity (provider, external_user_id, recipient_id, updated_at) VALUES (?, ?, ?, ?)",
                SLACK, userId, me.id(), Timestamp.from(clock.instant()));
        return new SlackIdentity(userId);
    }

    /** The CSM a Slack user id belongs to. */
    @Transactional
    public Optional<String> recipientOf(String slackUserId) {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery(
                "SELECT recipient_id FROM chat_identity WHERE provider = ?1 AND external_user_id = ?2")
                .setParameter(1, SLACK).setParameter(2, slackUserId).getResultList();
        return ids.stream().findFirst();
    }
}
