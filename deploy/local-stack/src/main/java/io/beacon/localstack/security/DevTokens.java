package io.beacon.localstack.security;

import java.time.Duration;
import java.util.Set;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import io.beacon.contracts.Roles;

/** Signs bearer tokens for local use and tests. Never used by a service at runtime. */
public final class DevTokens {

    /** The issuer the services expect by default ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "https://beacon.local/dev";

    public static final Set<String> ROLES = Set.of(Roles.INGEST, Roles.CSM, Roles.EXEC, Roles.RULES_ADMIN, Roles.ADMIN);

    private final DevKeys keys;

    public DevTokens(DevKeys keys) {
        this.keys = keys;
    }

    /**
     * @param subject who the token speaks for: a CSM id for {@code csm}, any name otherwise
     */
    public String issue(String role, String subject, Duration lifetime) {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown role '" + role + "'; expected one of " + ROLES);
        }
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setStringListClaim("groups", role);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(lifetime.toSeconds() / 60f);
        claims.setGeneratedJwtId();

        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.privateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign a dev token", e);
        }
    }

    public String issue(String role, String subject) {
        return issue(role, subject, Duration.ofHours(12));
    }
}
