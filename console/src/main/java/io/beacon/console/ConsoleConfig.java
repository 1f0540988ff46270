package io.beacon.console;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The console's settings; sign-in itself is quarkus-oidc's ({@code quarkus.oidc.*}). */
@ConfigMapping(prefix = "beacon.console")
public interface ConsoleConfig {

    /**
     * The services the console calls for the UI, by name, and where each answers. The UI reaches
     * {@code <service>/api/...} as {@code /services/<name>/api/...}; nothing else of a service is reachable.
     */
    Map<String, URI> services();

    /** Largest request body the console forwards. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** How long a call to a service may take before the UI gets 504 (live feeds excepted). */
    @WithDefault("30s")
    Duration serviceTimeout();

    /**
     * Where a ticket is seen in its desk, by the ticket's source ({@code zendesk}, {@code freshdesk},
     * {@code jsm}): a URL with {@code {id}} for the ticket's id, e.g.
     * {@code https://acme.zendesk.com/agent/tickets/{id}}. A source without one gets no link.
     */
    Map<String, String> desks();
}
