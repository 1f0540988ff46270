package io.beacon.engine.playbooks;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.beacon.contracts.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/playbooks")
@Tag(name = "Playbooks")
@Produces(MediaType.APPLICATION_JSON)
public class PlaybookResource {

    private final PlaybookLibrary library;

    PlaybookResource(PlaybookLibrary library) {
        this.library = library;
    }

    @GET
    @RolesAllowed({ Roles.CSM, Roles.EXEC, Roles.RULES_ADMIN, Roles.ADMIN })
    @Operation(summary = "The playbooks in use, and the files refused with the reason")
    public PlaybookLibrary.Contents list() {
        return library.contents();
    }
}
