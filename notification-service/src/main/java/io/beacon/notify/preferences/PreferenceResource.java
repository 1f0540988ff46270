package io.beacon.notify.preferences;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.beacon.notify.accounts.CallerRecipient;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Notification preferences: a CSM reads and sets their own; an admin anyone's. */
@Path("/api/v1/preferences")
@Tag(name = "Preferences")
@Produces(MediaType.APPLICATION_JSON)
public class PreferenceResource {

    private final PreferenceService preferences;
    private final JsonWebToken caller;
    private final CallerRecipient me;

    PreferenceResource(PreferenceService preferences, JsonWebToken caller, CallerRecipient me) {
        this.me = me;
        this.preferences = preferences;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC })
    @Operation(summary = "The caller's preferences (the defaults until they set any)",
            description = "An executive whose e-mail is on the executive escalation list sets that entry's: the time "
                    + "zone in which their weekly summary arrives.")
    public PreferenceService.View mine() {
        return preferences.view(me.id());
    }

    @PUT
    @RolesAllowed({ Roles.CSM, Roles.EXEC })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the caller's preferences: time zone, quiet hours, digest time, mode per channel and priority")
    public PreferenceService.View setMine(@NotNull PreferenceService.View view) {
        return preferences.save(me.id(), view);
    }

    @GET
    @Path("/{recipientId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Anyone's preferences")
    public PreferenceService.View of(@PathParam("recipientId") String recipientId) {
        return preferences.view(recipientId);
    }

    @PUT
    @Path("/{recipientId}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set anyone's preferences (a team lead or queue, say)")
    public PreferenceService.View set(@PathParam("recipientId") String recipientId,
            @NotNull PreferenceService.View view) {
        return preferences.save(recipientId, view);
    }
}
