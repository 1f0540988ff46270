package io.beacon.localstack.security;

import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

import io.beacon.contracts.Roles;

/** Signs bearer tokens for local use and tests. Never used by a service at runtime. */
public final class DevTokens {

    /**
     * The issuer the services expect by default ({@code mp.jwt.verify.issuer}), and the one the dev
     * identity provider names in its discovery document, so a standard OIDC client accepts its tokens.
     */
    public static final String ISSUER = "https://beacon.local/dev";
    /** The signing key's id, in every token's header and in the provider's JWKS. */
    public static final String KEY_ID = "beacon-dev-1";

    public static final Set<String> ROLES = Set.of(Roles.INGEST, Roles.CSM, Roles.EXEC, Roles.RULES_ADMIN, Roles.ADMIN);

    private final DevKeys keys;

    public DevTokens(DevKeys keys) {
        this.keys = keys;
    }

    /**
     * @param subject who the token speaks for: a CSM id for {@code csm}, any name otherwise
     */
    public String issue(String role, String subject, Duration lifetime) {
        return issue(role, subject, lifetime, Map.of());
    }

    /**
     * An access token with extra claims (e-mail, name) as a real provider adds them.
     *
     * @param subject who the token speaks for: a CSM id for {@code csm}, any name otherwise
     */
    public String issue(String role, String subject, Duration lifetime, Map<String, Object> extra) {
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown role '" + role + "'; expected one of " + ROLES);
        }
        JwtClaims claims = claims(subject, lifetime);
        claims.setClaim("upn", subject);
        claims.setStringListClaim("groups", role);
        extra.forEach(claims::setClaim);
        return sign(claims);
    }

    /** An OpenID Connect ID token for {@code audience} (the client), with the sign-in's nonce if it sent one. */
    public String idToken(String subject, String audience, String nonce, Duration lifetime,
            Map<String, Object> profile) {
        JwtClaims claims = claims(subject, lifetime);
        claims.setAudience(audience);
        claims.setClaim("auth_time", claims.getClaimValue("iat"));
        if (nonce != null && !nonce.isEmpty()) {
            claims.setClaim("nonce", nonce);
        }
        profile.forEach(claims::setClaim);
        return sign(claims);
    }

    /** @return the claims in {@code token} if this provider signed it (expired or not), empty otherwise */
    public Optional<JwtClaims> verify(String token) {
        try {
            return Optional.of(new JwtConsumerBuilder()
                    .setVerificationKey(keys.publicKey()).setSkipDefaultAudienceValidation()
                    .setSkipAllValidators().build().processToClaims(token));
        } catch (InvalidJwtException e) {
            return Optional.empty();
        }
    }

    /** The public key as a JSON Web Key Set, for the provider's {@code jwks_uri}. */
    public String jwks() {
        try {
            RsaJsonWebKey jwk = new RsaJsonWebKey(
                    (RSAPublicKey) keys.publicKey());
            jwk.setKeyId(KEY_ID);
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            jwk.setUse("sig");
            return new JsonWebKeySet(jwk).toJson();
        } catch (ClassCastException e) {
            throw new IllegalStateException("dev keys are not RSA", e);
        }
    }

    private static JwtClaims claims(String subject, Duration lifetime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setIssuedAtToNow();
        NumericDate expires = NumericDate.now();
        expires.addSeconds(Math.max(1, lifetime.toSeconds()));
        claims.setExpirationTime(expires);
        claims.setGeneratedJwtId();
        return claims;
    }

    private String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.privateKey());
        jws.setKeyIdHeaderValue(KEY_ID);
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
