package io.beacon.engine.accounts;

import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.beacon.contracts.Roles;
import jakarta.enterprise.context.RequestScoped;

/**
 * The person calling, as the engine knows them. A CSM is the CSM whose id is the token's name or,
 * when an identity provider names people otherwise (Keycloak's user names, say), the one CSM whose
 * e-mail is the token's {@code email} claim.
 */
@RequestScoped
public class Caller {

    private final JsonWebToken token;
    private final CsmDirectory directory;
    private String csmId;
    private List<String> leads;

    Caller(JsonWebToken token, CsmDirectory directory) {
        this.token = token;
        this.directory = directory;
    }

    /** The caller's id as CTAs' owners and actors name them. */
    public String id() {
        if (csmId == null) {
            String name = token.getName();
            csmId = directory.find(name).map(e -> e.csmId)
                    .or(() -> directory.byEmail(token.<String> getClaim("email")).map(e -> e.csmId))
                    .orElse(name);
        }
        return csmId;
    }

    /** Only a CSM: sees their own CTAs and those of the teams they lead. */
    public boolean onlyCsm() {
        return token.getGroups().contains(Roles.CSM) && !token.getGroups().contains(Roles.EXEC)
                && !token.getGroups().contains(Roles.ADMIN);
    }

    /** The teams the caller leads. */
    public List<String> leads() {
        if (leads == null) {
            leads = directory.teamsLedBy(id());
        }
        return leads;
    }

    /** May the caller see and work a CTA owned by {@code owner}? */
    public boolean mayOpen(String owner) {
        if (!onlyCsm()) {
            return true;
        }
        if (id().equals(owner)) {
            return true;
        }
        return !leads().isEmpty() && directory.find(owner).map(e -> leads().contains(e.team)).orElse(false);
    }

    public List<String> roles() {
        return token.getGroups().stream().sorted().toList();
    }

    public String subject() {
        return token.getName();
    }
}
