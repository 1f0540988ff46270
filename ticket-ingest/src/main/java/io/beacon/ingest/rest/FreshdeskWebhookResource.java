package io.beacon.ingest.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.Roles;
import io.beacon.ingest.adapter.DeskIntake;
import io.beacon.ingest.adapter.freshdesk.FreshdeskMapper;
import io.beacon.ingest.adapter.freshdesk.FreshdeskWebhook;
import io.beacon.platform.rest.Utf8;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Freshdesk's "Trigger webhook" automation action. Freshdesk does not sign its webhooks; it sends
 * HTTP Basic credentials, so the rule authenticates with a source API key as the user name (made
 * with {@code POST /api/v1/source-keys}).
 */
@Path("/api/v1/webhooks/freshdesk")
@Tag(name = "Webhooks")
public class FreshdeskWebhookResource {

    static final String SOURCE = "freshdesk";

    private final DeskIntake desks;
    private final ObjectMapper json;
    private final Clock clock;

    FreshdeskWebhookResource(DeskIntake desks, ObjectMapper json, Clock clock) {
        this.desks = desks;
        this.json = json;
        this.clock = clock;
    }

    @POST
    @RolesAllowed(Roles.INGEST)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Freshdesk automation webhook ({\"freshdesk_webhook\": {...}})",
            description = "Authenticated by a source API key (HTTP Basic user name, or X-Beacon-Key). The ticket's "
                    + "company is the account's `freshdesk` external id. 202 once Kafka has the event, or once it is "
                    + "parked until an account carries the company.")
    public Response receive(byte[] body) throws IOException {
        String text = Utf8.decode(body);
        FreshdeskWebhook webhook = json.readValue(text, FreshdeskWebhook.class);
        FreshdeskMapper.Mapped mapped;
        try {
            mapped = FreshdeskMapper.map(webhook, body, clock.instant());
        } catch (IllegalArgumentException e) {
            throw desks.unmappable("Freshdesk", e, text);
        }
        return Response.accepted(desks.accept(SOURCE, mapped.organizationId(), null, mapped.event(), text)).build();
    }
}
