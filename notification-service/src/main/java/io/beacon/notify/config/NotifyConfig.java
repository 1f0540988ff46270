package io.beacon.notify.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Min;
import io.smallrye.config.WithDefault;

/** Everything notification-service can be told; every key has a default that works on the local stack. */
@ConfigMapping(prefix = "beacon.notify")
public interface NotifyConfig {

    /** Where the console lives; messages link to the account's page, {@code <ui-base-url>/#/accounts/<accountId>}. */
    @WithDefault("http://localhost:8085")
    String uiBaseUrl();

    /** Address of the shared queue for CTAs whose account has no known CSM (inbox only when unset). */
    Optional<String> queueEmail();

    Escalations escalations();

    /** Per CSM team (the team name as in the account snapshots): its chat channel. */
    Map<String, Team> teams();

    Webhook webhook();

    Retry retry();

    Dispatch dispatch();

    Defaults defaults();

    Digest digest();

    WeeklySummary weeklySummary();

    Slack slack();

    /**
     * Slack interactivity: with a signing secret, Slack chat messages about an open CTA carry buttons
     * (snooze, close as not relevant) that Slack posts to {@code /api/v1/slack/interactions}.
     */
    interface Slack {

        /** The Slack app's signing secret (Basic Information → App Credentials); none: no buttons. */
        Optional<String> signingSecret();

        @WithDefault("7")
        @Min(1)
        int snoozeDays();

        /** How far a request's timestamp may be from now before it counts as a replay. */
        @WithDefault("5m")
        Duration maxRequestAge();

        /** Only a {@code response_url} starting so is ever called back (Slack's own). */
        @WithDefault("https://hooks.slack.com/")
        String responseUrlPrefix();
    }

    interface Escalations {

        /** The executive escalation list: every escalation is e-mailed to these addresses at once. */
        Optional<List<String>> emails();
    }

    interface Team {

        /** The team's chat channel; overrides {@code beacon.notify.webhook.url}. */
        Optional<String> webhookUrl();

        /** What the team's chat channel takes (default: {@code beacon.notify.webhook.format}). */
        Optional<ChatFormat> webhookFormat();
    }

    /**
     * What a chat webhook takes: Slack's incoming-webhook JSON (also Mattermost, Rocket.Chat), or a
     * Microsoft Teams Workflows webhook's message with an Adaptive Card.
     */
    enum ChatFormat {
        SLACK, TEAMS
    }

    interface Webhook {

        /** A chat incoming-webhook URL; without one (and without team URLs) the chat channel is off. */
        Optional<String> url();

        @WithDefault("SLACK")
        ChatFormat format();

        @WithDefault("5s")
        Duration timeout();
    }

    /** Failed deliveries are retried with exponential backoff and jitter, then dead-lettered. */
    interface Retry {

        @WithDefault("8")
        int maxAttempts();

        @WithDefault("10s")
        Duration firstBackoff();

        @WithDefault("1h")
        Duration maxBackoff();
    }

    interface Dispatch {

        @WithDefault("1s")
        Duration pollInterval();

        /** Deliveries one pass of one channel takes on. */
        @WithDefault("50")
        int batchSize();

        /** How long a pass owns the deliveries it took; an instance that dies frees them after this. */
        @WithDefault("2m")
        Duration claimFor();
    }

    interface Digest {

        /** How often the digest job looks for digests that are due (read by its schedule). */
        @WithDefault("60s")
        Duration checkEvery();
    }

    /**
     * The weekly executive summary, e-mailed to everyone on the executive escalation list on a day of the
     * week at a local time, each in their own time zone (their preferences, else {@code defaults.time-zone}).
     */
    interface WeeklySummary {

        @WithDefault("true")
        boolean enabled();

        @WithDefault("MONDAY")
        DayOfWeek day();

        /** Local time of day (HH:mm). */
        @WithDefault("08:00")
        LocalTime at();

        /**
         * How late a summary may still go out (the service was down when it fell due); a later one is
         * skipped rather than sent days late, and the next week's comes as usual.
         */
        @WithDefault("24h")
        Duration catchUp();

        /** Open escalations listed by name, the largest accounts first (the count covers them all). */
        @WithDefault("20")
        @Min(1)
        int escalationsListed();

        @WithDefault("5")
        @Min(1)
        int attentionListed();

        /** How often the job looks for summaries that are due (read by its schedule). */
        @WithDefault("60s")
        Duration checkEvery();
    }

    /** What a recipient who never set preferences gets. */
    interface Defaults {

        @WithDefault("UTC")
        String timeZone();

        /** Local time of day at which the daily digest goes out (HH:mm). */
        @WithDefault("08:00")
        String digestAt();
    }
}
