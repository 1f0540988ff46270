package io.beacon.notify.content;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.notify.summary.WeeklySummary;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns messages into what each channel sends, from the Qute templates in
 * {@code templates/notifications/} (checked at build time against these signatures).
 */
@ApplicationScoped
public class Renderer {

    private final ObjectMapper json;

    Renderer(ObjectMapper json) {
        this.json = json;
    }

    @CheckedTemplate(basePath = "notifications")
    static class Templates {

        static native TemplateInstance ctaSubject(CtaMessage msg);

        static native TemplateInstance ctaText(CtaMessage msg, String greeting, String why);

        static native TemplateInstance ctaHtml(CtaMessage msg, String greeting, String why);

        static native TemplateInstance ctaChat(CtaMessage msg, String owner);

        static native TemplateInstance digestSubject(List<CtaMessage> items, LocalDate date);

        static native TemplateInstance digestText(List<CtaMessage> items, LocalDate date, String greeting);

        static native TemplateInstance digestHtml(List<CtaMessage> items, LocalDate date, String greeting);

        static native TemplateInstance digestChat(List<CtaMessage> items, LocalDate date, String owner);

        static native TemplateInstance inboxBody(CtaMessage msg);

        static native TemplateInstance summarySubject(WeeklySummary summary);

        static native TemplateInstance summaryText(WeeklySummary summary, String week, String why);

        static native TemplateInstance summaryHtml(WeeklySummary summary, String week, String why);
    }

    /** ARR as the console shows it: US dollars, no cents ({@code $1,250,000}); a dash when unknown. */
    @TemplateExtension(namespace = "fmt")
    static String money(BigDecimal value) {
        return value == null ? "–" : NumberFormat.getCurrencyInstance(Locale.US).format(value.setScale(0, RoundingMode.HALF_UP))
                .replace(".00", "");
    }

    /** A local date as in "Mon 30 Nov 2026". */
    @TemplateExtension
    static String day(java.time.Instant at, String zone) {
        return at == null ? "" : DAY.format(at.atZone(ZoneId.of(zone)));
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    /** Escapes what Slack's mrkdwn treats as markup. */
    @TemplateExtension
    static String mrkdwn(String value) {
        return value == null ? "" : value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public record Email(String subject, String text, String html) {
    }

    /** @param name the recipient's name, if known; {@code why} says why they get it */
    public Email email(CtaMessage msg, String name, String why) {
        String greeting = name != null ? "Hello " + name + "," : "Hello,";
        return new Email(line(Templates.ctaSubject(msg).render()), Templates.ctaText(msg, greeting, why).render(),
                Templates.ctaHtml(msg, greeting, why).render());
    }

    public Email digestEmail(List<CtaMessage> items, LocalDate date, String name) {
        String greeting = name != null ? "Hello " + name + "," : "Hello,";
        return new Email(line(Templates.digestSubject(items, date).render()),
                Templates.digestText(items, date, greeting).render(), Templates.digestHtml(items, date, greeting).render());
    }

    /** The weekly executive summary; the week is named by its first and last local day. */
    public Email summaryEmail(WeeklySummary summary, String why) {
        ZoneId zone = ZoneId.of(summary.timeZone());
        String week = DAY.format(summary.from().atZone(zone)) + " – " + DAY.format(summary.to().atZone(zone).minusDays(1));
        return new Email(line(Templates.summarySubject(summary).render()), Templates.summaryText(summary, week, why).render(),
                Templates.summaryHtml(summary, week, why).render());
    }

    /**
     * A Microsoft Teams Workflows webhook body: a message whose one attachment is an Adaptive Card
     * (version 1.4) — headline, reason, the facts that made the rule fire, and a button to the account.
     */
    public String teams(CtaMessage msg, String owner) {
        List<Map<String, Object>> body = new ArrayList<>();
        body.add(Map.of("type", "TextBlock", "size", "Medium", "weight", "Bolder", "wrap", true,
                "color", msg.escalated() ? "Attention" : "Default",
                "text", (msg.escalated() ? "Escalation — " : "") + msg.headline() + ": " + msg.reason()));
        List<Map<String, String>> facts = new ArrayList<>();
        facts.add(Map.of("title", "Account", "value", msg.accountName() + " (" + msg.segment() + ")"));
        facts.add(Map.of("title", "Priority", "value", msg.priority()));
        facts.add(Map.of("title", "For", "value", owner != null ? owner : "the team queue"));
        if (msg.rule() != null) {
            facts.add(Map.of("title", "Rule", "value", msg.rule()));
        }
        msg.facts().forEach(f -> facts.add(Map.of("title", f.name(), "value", f.value())));
        body.add(Map.of("type", "FactSet", "facts", facts));
        return teamsBody(body, List.of(Map.of("type", "Action.OpenUrl", "title", "Open the CTA", "url", msg.link())));
    }

    public String teamsDigest(List<CtaMessage> items, LocalDate date, String owner) {
        List<Map<String, Object>> body = new ArrayList<>();
        body.add(Map.of("type", "TextBlock", "size", "Medium", "weight", "Bolder", "wrap", true,
                "text", "Beacon digest for " + date + " (" + items.size() + " change" + (items.size() == 1 ? "" : "s")
                        + ") — for " + (owner != null ? owner : "the team queue")));
        for (CtaMessage m : items) {
            body.add(Map.of("type", "TextBlock", "wrap", true, "separator", true,
                    "text", m.headline() + ": " + m.reason() + " — " + m.accountName() + " (" + m.segment() + "), priority "
                            + m.priority() + " · [Open](" + m.link() + ")"));
        }
        return teamsBody(body, List.of());
    }

    private String teamsBody(List<Map<String, Object>> body, List<Map<String, Object>> actions) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", body);
        if (!actions.isEmpty()) {
            card.put("actions", actions);
        }
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("contentUrl", null);
        attachment.put("content", card);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "message");
        message.put("attachments", List.of(attachment));
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Slack-compatible incoming-webhook body: {@code text} for notifications, one section block for the message. */
    public String chat(CtaMessage msg, String owner) {
        return chat(msg, owner, 0);
    }

    /**
     * @param snoozeDays above zero, the message about a CTA that is open gets buttons: snooze for that many
     *        days, close as not relevant (Slack posts a click to Beacon's interactivity endpoint)
     */
    public String chat(CtaMessage msg, String owner, int snoozeDays) {
        String text = Templates.ctaChat(msg, owner != null ? owner : "the team queue").render().strip();
        boolean open = !List.of("CLOSED", "SNOOZED").contains(msg.kind());
        if (snoozeDays <= 0 || !open) {
            return slackBody(text);
        }
        Map<String, Object> snooze = Map.of("type", "button", "action_id", SNOOZE_ACTION, "value", msg.ctaId(),
                "text", Map.of("type", "plain_text", "text", "Snooze " + snoozeDays + " days"));
        Map<String, Object> close = Map.of("type", "button", "action_id", CLOSE_ACTION, "value", msg.ctaId(), "style", "danger",
                "text", Map.of("type", "plain_text", "text", "Close: not relevant"),
                "confirm", Map.of("title", Map.of("type", "plain_text", "text", "Close this CTA?"),
                        "text", Map.of("type", "plain_text", "text", "It is closed as not relevant, in your name."),
                        "confirm", Map.of("type", "plain_text", "text", "Close"),
                        "deny", Map.of("type", "plain_text", "text", "Keep it")));
        return slackBody(text, Map.of("type", "actions", "block_id", "beacon-cta", "elements", List.of(snooze, close)));
    }

    /** The {@code action_id}s of the buttons, as Slack sends them back. */
    public static final String SNOOZE_ACTION = "beacon.snooze";
    public static final String CLOSE_ACTION = "beacon.close";

    public String digestChat(List<CtaMessage> items, LocalDate date, String owner) {
        return slackBody(Templates.digestChat(items, date, owner != null ? owner : "the team queue").render().strip());
    }

    public String inboxBody(CtaMessage msg) {
        return Templates.inboxBody(msg).render().strip();
    }

    public String inboxTitle(CtaMessage msg) {
        return line(Templates.ctaSubject(msg).render());
    }

    @SafeVarargs
    private final String slackBody(String text, Map<String, Object>... more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text)));
        blocks.addAll(List.of(more));
        body.put("blocks", blocks);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String line(String rendered) {
        return rendered.strip().replaceAll("\\s+", " ");
    }
}
