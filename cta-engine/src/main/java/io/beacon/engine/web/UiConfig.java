package io.beacon.engine.web;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How people sign in to the web UI, and where it finds the CSM inbox. */
@ConfigMapping(prefix = "beacon.ui")
public interface UiConfig {

    /**
     * Where to send people who are not signed in, when sign-in is not done through {@link #oidc()}
     * (for example an authenticating proxy that leaves a {@code beacon_token} cookie). Without this
     * and without an OIDC issuer, the UI asks for a token.
     */
    Optional<String> signInUrl();

    /** Where "Sign out" goes when {@link #signInUrl()} is used. */
    Optional<String> signOutUrl();

    /** Base URL of notification-service, for the CSM inbox; the cockpit shows no inbox without it. */
    Optional<String> inboxUrl();

    Oidc oidc();

    /**
     * Sign-in through an OpenID Connect provider (authorization code flow with PKCE, the engine as a
     * confidential client). The provider's access token becomes the {@code beacon_token} cookie, so
     * it must be a JWT that {@code mp.jwt.verify.*} accepts, carrying the Beacon roles in
     * {@code groups} (or wherever {@code smallrye.jwt.path.groups} points).
     */
    interface Oidc {

        /** The issuer's base URL; its {@code /.well-known/openid-configuration} is read on first use. Unset = OIDC off. */
        Optional<URI> issuer();

        @WithDefault("beacon-ui")
        String clientId();

        /** Sent with HTTP Basic to the token endpoint; without it the engine is a public client relying on PKCE. */
        Optional<String> clientSecret();

        @WithDefault("openid profile")
        String scopes();

        /**
         * The callback URL registered at the provider. Default: {@code /auth/callback} on the host and
         * scheme the browser used; set it when a proxy in front changes them.
         */
        Optional<URI> redirectUri();

        /** How long a started sign-in may take before its state expires. */
        @WithDefault("PT10M")
        Duration loginTimeout();
    }
}
