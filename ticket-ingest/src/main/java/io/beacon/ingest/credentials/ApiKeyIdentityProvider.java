package io.beacon.ingest.credentials;

import io.beacon.contracts.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** A valid key is the identity of its source, with the {@code ingest} role and nothing more. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    /** The identity attribute holding the key's source name. */
    public static final String SOURCE = "beacon.source";

    private final SourceKeys keys;

    ApiKeyIdentityProvider(SourceKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> keys.verify(request.key())
                .map(holder -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("source:" + holder.source()))
                        .addRole(Roles.INGEST)
                        .addAttribute(SOURCE, holder.source())
                        .addAttribute("beacon.key", holder.id())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("the API key is not valid (unknown, revoked or expired)")));
    }
}
