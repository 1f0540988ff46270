package io.beacon.ingest.rest;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import io.beacon.ingest.adapter.DeskIntake;
import io.beacon.ingest.adapter.jsm.JiraWebhook;
import io.beacon.ingest.adapter.jsm.JsmMapper;
import io.beacon.ingest.adapter.jsm.JsmSignatureVerifier;
import io.beacon.ingest.config.IngestConfig;
import io.beacon.platform.rest.Problem;
import io.beacon.platform.rest.Utf8;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
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
 * Jira Service Management issue webhooks: a Jira admin webhook signed with a site's secret
 * ({@code X-Hub-Signature}), or a Jira Automation "Send web request" carrying a source API key
 * ({@code X-Beacon-Key}) and the issue as its body.
 */
@Path("/api/v1/webhooks/jsm")
@Tag(name = "Webhooks")
public class JsmWebhookResource {

    static final String SOURCE = "jsm";
    static final String SIGNATURE = "X-Hub-Signature";
    static final String DELIVERY = "X-Atlassian-Webhook-Identifier";
    static final String DEFAULT_ORGANIZATION_FIELD = "customfield_10002";

    private final DeskIntake desks;
    private final ObjectMapper json;
    private final IngestConfig config;
    private final SecurityIdentity caller;
    private final MeterRegistry registry;
    private final Clock clock;

    JsmWebhookResource(DeskIntake desks, ObjectMapper json, IngestConfig config, SecurityIdentity caller,
            MeterRegistry registry, Clock clock) {
        this.desks = desks;
        this.json = json;
        this.config = config;
        this.caller = caller;
        this.registry = registry;
        this.clock = clock;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Jira Service Management issue webhook (jira:issue_created/updated/deleted)",
            description = "Signed with a configured site's secret (X-Hub-Signature: sha256=...) or sent with a source "
                    + "API key. The issue's first JSM organisation is the account's `jsm` external id. 202 once Kafka "
                    + "has the event, or once it is parked until an account carries the organisation.")
    public Response receive(@HeaderParam(SIGNATURE) String signature, @HeaderParam(DELIVERY) String delivery,
            byte[] body) throws IOException {
        Optional<JsmSignatureVerifier.Site> site = JsmSignatureVerifier.verify(config.jsm().instances(), signature, body);
        boolean keyed = signature == null && !caller.isAnonymous() && caller.hasRole(Roles.INGEST);
        if (site.isEmpty() && !keyed) {
            registry.counter("beacon.ingest.webhook.refused", "source", SOURCE, "reason", "signature").increment();
            throw new WebApplicationException(Problem.of(Status.UNAUTHORIZED, signature == null
                    ? "Send the webhook signed with a configured site's secret (X-Hub-Signature) or with a source API key."
                    : "The Jira signature does not match any configured site (beacon.ingest.jsm.instances).").toResponse());
        }
        String text = Utf8.decode(body);
        JiraWebhook webhook = json.readValue(text, JiraWebhook.class);
        String field = site.map(s -> s.config().organizationField()).orElse(DEFAULT_ORGANIZATION_FIELD);
        Map<String, String> configured = site.map(s -> s.config().organizations()).orElse(Map.of());
        JsmMapper.Mapped mapped;
        try {
            mapped = JsmMapper.map(webhook, field, delivery, clock.instant());
        } catch (IllegalArgumentException e) {
            throw desks.unmappable("Jira Service Management", e, text);
        }
        return Response.accepted(desks.accept(SOURCE, mapped.organizationId(), configured.get(mapped.organizationId()),
                mapped.event(), text)).build();
    }
}
