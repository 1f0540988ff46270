package io.beacon.ingest.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "beacon.ingest")
public interface IngestConfig {

    /** How long a request waits for Kafka to acknowledge its events before answering 503. */
    @WithDefault("15s")
    Duration publishTimeout();

    /** Seconds a client is told to wait (Retry-After) when Kafka cannot take events. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** How far in the future an event's timestamps may lie (clock skew between systems). */
    @WithDefault("5m")
    Duration maxClockSkew();

    /** Most events one request may carry. */
    @WithDefault("1000")
    int maxBatchSize();

    /** Largest request body accepted, in bytes; larger ones get 413. */
    @WithDefault("5242880")
    long maxBodyBytes();

    Zendesk zendesk();

    Parking parking();

    Jsm jsm();

    /** Jira Service Management sites that send admin webhooks signed with a secret. */
    interface Jsm {

        /** One entry per site. */
        Map<String, Site> instances();

        interface Site {

            /** The webhook's secret, as entered in Jira (System → WebHooks → Secret). */
            String secret();

            /** The issue field holding the customer's JSM organisations. */
            @WithDefault("customfield_10002")
            String organizationField();

            /** JSM organisation id to Beacon account id, overriding account-service's external ids (source {@code jsm}). */
            Map<String, String> organizations();
        }
    }

    /** Events whose organisation no account carries yet wait, and are released when one does. */
    interface Parking {

        /** How often waiting events are checked against the accounts (besides after every snapshot). */
        @WithDefault("5s")
        Duration releaseEvery();
    }

    interface Zendesk {

        /** How old a webhook's signature timestamp may be before the request counts as a replay. */
        @WithDefault("5m")
        Duration maxSignatureAge();

        /** One entry per Zendesk instance (subdomain) that sends webhooks. */
        Map<String, Instance> instances();

        interface Instance {

            /** The webhook's signing secret, as Zendesk shows it. */
            String signingSecret();

            /**
             * Zendesk organisation id to Beacon account id, overriding account-service's external ids
             * (source {@code zendesk}); normally empty.
             */
            Map<String, String> organizations();

            Optional<String> description();
        }
    }
}
