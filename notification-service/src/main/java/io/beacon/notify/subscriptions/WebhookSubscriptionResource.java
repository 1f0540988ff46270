package io.beacon.notify.subscriptions;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.CtaEvent;
import io.beacon.contracts.Roles;
import io.beacon.contracts.Segment;
import io.beacon.platform.errors.Refusal;
import io.beacon.platform.validation.CleanText;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Outbound webhook subscriptions, managed by an admin. */
@Path("/api/v1/webhook-subscriptions")
@Tag(name = "Webhook subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookSubscriptionResource {

    private final WebhookSubscriptions subscriptions;
    private final SecurityIdentity caller;

    WebhookSubscriptionResource(WebhookSubscriptions subscriptions, SecurityIdentity caller) {
        this.subscriptions = subscriptions;
        this.caller = caller;
    }

    public record SubscriptionRequest(@NotBlank @Size(max = 200) @CleanText String name,
            @NotBlank @Size(max = 2000) String url,
            @Size(max = 10) List<@NotBlank String> kinds,
            @Size(max = 10) List<@NotBlank String> segments,
            @Size(max = 100) List<@NotBlank @Size(max = 200) @CleanText String> teams) {
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a URL to CTA changes (the signing secret is shown once)",
            description = "Each matching change is POSTed as a CloudEvent (application/cloudevents+json), signed in "
                    + "X-Beacon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" with the secret>. "
                    + "`kinds` (OPENED, ESCALATED, ...), `segments` and `teams` filter; empty means all.")
    public Response create(@NotNull @Valid SubscriptionRequest request) {
        URI url;
        try {
            url = URI.create(request.url().trim());
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("url", "is not a URL: " + e.getMessage());
        }
        if (url.getScheme() == null || !Set.of("http", "https").contains(url.getScheme().toLowerCase())
                || url.getHost() == null) {
            throw Refusal.invalid("url", "must be an http or https URL with a host");
        }
        Set<String> kinds = names("kinds", request.kinds(), CtaEvent.Kind.class);
        Set<String> segments = names("segments", request.segments(), Segment.class);
        Set<String> teams = request.teams() == null ? Set.of() : new TreeSet<>(request.teams());
        WebhookSubscriptions.Subscription made = subscriptions.create(request.name(), url.toString(), kinds, segments, teams,
                caller.getPrincipal().getName());
        return Response.status(201).entity(made).build();
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The subscriptions (without their secrets)")
    public List<WebhookSubscriptions.Subscription> list() {
        return subscriptions.list();
    }

    @POST
    @Path("/{id}/rotate-secret")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "A new signing secret (shown once); the old one stops at once")
    public WebhookSubscriptions.Subscription rotate(@PathParam("id") String id) {
        return subscriptions.rotateSecret(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a subscription: nothing more is sent to it")
    public Response remove(@PathParam("id") String id) {
        subscriptions.remove(id);
        return Response.noContent().build();
    }

    private static <E extends Enum<E>> Set<String> names(String field, List<String> given, Class<E> type) {
        Set<String> out = new TreeSet<>();
        for (String value : given == null ? List.<String>of() : given) {
            try {
                out.add(Enum.valueOf(type, value.trim().toUpperCase()).name());
            } catch (IllegalArgumentException e) {
                throw Refusal.invalid(field, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }
        return out;
    }
}
