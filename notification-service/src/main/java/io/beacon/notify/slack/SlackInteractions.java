package io.beacon.notify.slack;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.CloudEventHeaders;
import io.beacon.contracts.CtaCommand;
import io.beacon.notify.config.NotifyConfig;
import io.beacon.notify.content.Renderer;
import io.beacon.platform.errors.Unavailable;
import io.beacon.platform.rest.Problem;
import io.beacon.platform.kafka.CloudEventRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * Slack's interactivity endpoint: a click on a CTA message's button. The request is genuine when the
 * app's signing secret reproduces {@code X-Slack-Signature} ({@code v0=} hex HMAC-SHA256 of
 * {@code v0:<timestamp>:<body>}) and the timestamp is recent. The clicking Slack user must have linked
 * their id to a Beacon CSM; the click becomes a {@link CtaCommand} on {@code ctas.commands}, which the
 * engine applies with the same rules as the console. Slack is told the outcome through the
 * interaction's {@code response_url}, visible to the clicker only.
 */
@Path("/api/v1/slack/interactions")
@Tag(name = "Chat")
public class SlackInteractions {

    public static final String CHANNEL = "commands-out";
    private static final Logger LOG = Logger.getLogger(SlackInteractions.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final NotifyConfig config;
    private final ChatIdentities identities;
    private final MutinyEmitter<CtaCommand> commands;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SlackInteractions(NotifyConfig config, ChatIdentities identities, @Channel(CHANNEL) MutinyEmitter<CtaCommand> commands,
            ObjectMapper json, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.identities = identities;
        this.commands = commands;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Slack interactivity: a click on a CTA message's button (signed by Slack)")
    public Response interact(@HeaderParam("X-Slack-Signature") String signature,
            @HeaderParam("X-Slack-Request-Timestamp") String timestamp, byte[] body) throws Exception {
        String refused = verify(signature, timestamp, body);
        if (refused != null) {
            registry.counter("beacon.notify.slack.refused").increment();
            throw new WebApplicationException(Problem.of(Status.UNAUTHORIZED, "The Slack signature is not valid: "
                    + refused + ".").toResponse());
        }
        JsonNode payload = json.readTree(form(new String(body, StandardCharsets.UTF_8)).getOrDefault("payload", "{}"));
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asText("");
        String ctaId = action.path("value").asText("");
        String slackUser = payload.path("user").path("id").asText("");
        String responseUrl = payload.path("response_url").asText(null);
        if (!"block_actions".equals(payload.path("type").asText()) || !ID.matcher(ctaId).matches()
                || !(Renderer.SNOOZE_ACTION.equals(actionId) || Renderer.CLOSE_ACTION.equals(actionId))) {
            return Response.ok().build(); // not one of Beacon's buttons: nothing to do
        }
        Optional<String> csm = identities.recipientOf(slackUser);
        if (csm.isEmpty()) {
            tell(responseUrl, "Beacon does not know your Slack user yet. Link it once in Beacon (PUT "
                    + "/api/v1/chat-identities/slack with your member id " + slackUser + "), then click again.");
            return Response.ok().build();
        }
        Instant now = clock.instant();
        boolean snooze = Renderer.SNOOZE_ACTION.equals(actionId);
        // One click, one command: Slack's action timestamp identifies it, also if Slack delivers it twice.
        String commandId = "slack:" + slackUser + ":" + action.path("action_ts").asText(timestamp);
        CtaCommand command = new CtaCommand(commandId, ctaId, snooze ? CtaCommand.Action.SNOOZE
                : CtaCommand.Action.CLOSE_NOT_RELEVANT, snooze ? now.plus(Duration.ofDays(config.slack().snoozeDays())) : null,
                csm.get(), "slack", now);
        try {
            commands.sendMessage(CloudEventRecords.message(command, ctaId, commandId, "io.beacon.cta.command.v1",
                    "/beacon/notification-service/slack", ctaId, now)).await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warnf("A Slack click on CTA %s could not be passed on: %s", ctaId, e.getMessage());
            throw new Unavailable("Kafka did not take the request; click again in a moment.", 5);
        }
        registry.counter("beacon.notify.slack.commands", "action", command.action().name()).increment();
        tell(responseUrl, snooze ? "Snoozing the CTA for " + config.slack().snoozeDays() + " days."
                : "Closing the CTA as not relevant.");
        return Response.ok().build();
    }

    /** @return why the request is not genuine, or null when it is */
    private String verify(String signature, String timestamp, byte[] body) {
        Optional<String> secret = config.slack().signingSecret().filter(s -> !s.isBlank());
        if (secret.isEmpty()) {
            return "no Slack signing secret is configured (beacon.notify.slack.signing-secret)";
        }
        if (signature == null || timestamp == null) {
            return "X-Slack-Signature and X-Slack-Request-Timestamp are required";
        }
        long at;
        try {
            at = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "the timestamp is not a number of seconds";
        }
        if (Math.abs(clock.instant().getEpochSecond() - at) > config.slack().maxRequestAge().toSeconds()) {
            return "the request is too old (a replay?)";
        }
        byte[] expected = ("v0=" + sign(secret.get(), timestamp.trim(), body)).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8)) ? null
                : "it does not match the signing secret";
    }

    /** Slack's request signature (hex); public so tests and tools can sign as Slack does. */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A note only the clicker sees; best effort (the CTA's own change is what counts). */
    private void tell(String responseUrl, String text) {
        if (responseUrl == null || !responseUrl.startsWith(config.slack().responseUrlPrefix())) {
            return; // only Slack's own callback is ever called
        }
        try {
            String body = json.writeValueAsString(Map.of("response_type", "ephemeral", "replace_original", false, "text", text));
            http.send(HttpRequest.newBuilder(URI.create(responseUrl)).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            LOG.infof("Could not answer the Slack click: %s", e.getMessage());
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new WebApplicationException(Problem.of(Status.BAD_REQUEST,
                            "The form field '" + pair.substring(0, Math.min(eq, 40)) + "' is not URL-encoded.").toResponse());
                }
            }
        }
        return fields;
    }
}
