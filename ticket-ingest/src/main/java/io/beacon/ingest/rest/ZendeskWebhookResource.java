package io.beacon.ingest.rest;

import io.beacon.ingest.adapter.DeskIntake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.ingest.adapter.zendesk.ZendeskMapper;
import io.beacon.ingest.adapter.zendesk.ZendeskSignatureVerifier;
import io.beacon.ingest.adapter.zendesk.ZendeskSignatureVerifier.Invalid;
import io.beacon.ingest.adapter.zendesk.ZendeskSignatureVerifier.Valid;
import io.beacon.ingest.adapter.zendesk.ZendeskTicketWebhook;
import io.beacon.ingest.service.IngestResult;
import io.beacon.ingest.service.IngestService;
import io.beacon.ingest.service.RejectionLog;
import io.beacon.platform.rest.Problem;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Zendesk's native ticket event webhook. Authenticated by Zendesk's request signature rather than
 * a bearer token, since Zendesk cannot obtain one.
 */
@Path("/api/v1/webhooks/zendesk")
@Tag(name = "Webhooks")
public class ZendeskWebhookResource {

    /** The source name of Zendesk organisation ids among an account's external ids. */
    static final String SOURCE = "zendesk";
    static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    static final String SIGNATURE_TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";

    private final ZendeskSignatureVerifier verifier;
    private final ZendeskMapper mapper;
    private final IngestService ingest;
    private final RejectionLog rejections;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final DeskIntake desks;

    ZendeskWebhookResource(ZendeskSignatureVerifier verifier, ZendeskMapper mapper, IngestService ingest,
            RejectionLog rejections, ObjectMapper json, MeterRegistry registry, DeskIntake desks) {
        this.desks = desks;
        this.verifier = verifier;
        this.mapper = mapper;
        this.ingest = ingest;
        this.rejections = rejections;
        this.json = json;
        this.registry = registry;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Zendesk ticket event webhook (zen:event-type:ticket.*)",
            description = "Signed by Zendesk (HMAC-SHA256). 202 once Kafka has the event, or once it is parked (stored "
                    + "until an account carries the ticket's organisation, listed under `parked`); other event types "
                    + "get 200 and are ignored.")
    public Response receive(@HeaderParam(SIGNATURE) String signature, @HeaderParam(SIGNATURE_TIMESTAMP) String timestamp,
            byte[] body) throws IOException {
        ZendeskSignatureVerifier.Verdict verdict = verifier.verify(timestamp, signature, body);
        if (verdict instanceof Invalid invalid) {
            registry.counter("beacon.ingest.webhook.refused", "source", "zendesk", "reason", "signature").increment();
            throw new WebApplicationException(Problem.of(Status.UNAUTHORIZED,
                    "The Zendesk signature is not valid: " + invalid.reason() + ".").toResponse());
        }
        Valid source = (Valid) verdict;
        ZendeskTicketWebhook webhook = json.readValue(body, ZendeskTicketWebhook.class);
        if (!webhook.isTicketEvent()) {
            return Response.ok(Map.of("ignored", "'" + webhook.type() + "' is not a ticket event")).build();
        }
        ZendeskMapper.Mapped mapped;
        try {
            mapped = mapper.map(webhook, source.config());
        } catch (IllegalArgumentException e) {
            throw desks.unmappable("Zendesk", e, new String(body, StandardCharsets.UTF_8));
        }
        return Response.accepted(desks.accept(SOURCE, mapped.organizationId(), mapped.accountId(), mapped.event(),
                new String(body, StandardCharsets.UTF_8))).build();
    }
}
