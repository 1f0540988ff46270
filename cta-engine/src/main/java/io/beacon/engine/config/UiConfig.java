package io.beacon.engine.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where the web UI sends people to sign in, and where it finds the CSM inbox. */
@ConfigMapping(prefix = "beacon.ui")
public interface UiConfig {

    /**
     * The page that signs a user in and leaves a {@code beacon_token} cookie (the local stack's dev
     * sign-in, or an OIDC-aware proxy in production). Without it the UI asks for a token.
     */
    Optional<String> signInUrl();

    /** Base URL of notification-service, for the CSM inbox; the cockpit shows no inbox without it. */
    Optional<String> inboxUrl();
}
