package io.beacon.engine.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.beacon.contracts.Segment;
import io.beacon.contracts.TicketEvent;
import io.beacon.engine.evaluation.EvaluationService.TimedEvent;

/**
 * Seeded streams of ticket events as a desk produces them and a broker delivers them: tickets are
 * opened, worked, escalated to urgent, breach SLAs, are solved, reopened, closed and deleted; some
 * events arrive twice (same id), some arrive late (an older snapshot, a new id); time passes in
 * seconds, hours or weeks between them. The same seed gives the same stream.
 */
public final class TicketStreams {

    static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    public record Stream(Map<String, AccountState.Account> accounts, List<TimedEvent> events) {
    }

    private TicketStreams() {
    }

    public static Stream generate(long seed, int accountCount, int length) {
        return generate("acct-" + seed, seed, accountCount, length, START);
    }

    /** @param prefix what the account ids start with, so several copies of one stream can share a database */
    static Stream generate(String prefix, long seed, int accountCount, int length, Instant start) {
        Random random = new Random(seed);
        Map<String, AccountState.Account> accounts = new HashMap<>();
        for (int a = 1; a <= accountCount; a++) {
            String id = prefix + "-" + a;
            Segment segment = Segment.values()[random.nextInt(Segment.values().length)];
            LocalDate renewal = random.nextInt(3) == 0 ? LocalDate.ofInstant(start, java.time.ZoneOffset.UTC)
                    .plusDays(60 + random.nextInt(60)) : null;
            accounts.put(id, new AccountState.Account(id, segment, "csm-" + a, "team-" + segment, null, renewal));
        }
        List<String> ids = accounts.keySet().stream().sorted().toList();
        Map<String, TicketEvent.Ticket> current = new HashMap<>();
        List<TimedEvent> sent = new ArrayList<>();
        List<TimedEvent> events = new ArrayList<>();
        Instant now = start;
        int next = 0;
        while (events.size() < length) {
            now = now.plus(gap(random));
            int roll = random.nextInt(100);
            if (roll < 5 && !sent.isEmpty()) {
                // The same event delivered again.
                events.add(sent.get(random.nextInt(sent.size())));
                continue;
            }
            if (roll < 10 && !sent.isEmpty()) {
                // An old snapshot of a ticket, delivered late under a new id.
                TimedEvent old = sent.get(random.nextInt(sent.size()));
                TicketEvent e = old.event();
                events.add(new TimedEvent(new TicketEvent(prefix + "-late-" + next++, e.source(), e.type(), e.occurredAt(),
                        e.accountId(), e.ticket()), old.at()));
                continue;
            }
            String account = ids.get(random.nextInt(ids.size()));
            String ticketId = "T" + random.nextInt(8);
            String key = account + "/" + ticketId;
            TicketEvent.Ticket before = current.get(key);
            TicketEvent.Type type;
            TicketEvent.Status status;
            TicketEvent.Priority priority = before == null ? TicketEvent.Priority.NORMAL : before.priority();
            boolean breached = before != null && before.sla() != null && before.sla().breached();
            Instant created = before == null ? now : before.createdAt();
            int action = random.nextInt(100);
            if (before == null || action < 30) {
                type = before == null ? TicketEvent.Type.CREATED : TicketEvent.Type.STATUS_CHANGED;
                status = TicketEvent.Status.OPEN;
            } else if (action < 45) {
                type = TicketEvent.Type.PRIORITY_CHANGED;
                status = before.status();
                priority = TicketEvent.Priority.values()[random.nextInt(TicketEvent.Priority.values().length)];
            } else if (action < 52) {
                type = TicketEvent.Type.SLA_BREACHED;
                status = before.status();
                breached = true;
            } else if (action < 60) {
                type = TicketEvent.Type.STATUS_CHANGED;
                status = random.nextBoolean() ? TicketEvent.Status.PENDING : TicketEvent.Status.HOLD;
            } else if (action < 85) {
                type = TicketEvent.Type.STATUS_CHANGED;
                status = TicketEvent.Status.SOLVED;
            } else if (action < 95) {
                type = TicketEvent.Type.STATUS_CHANGED;
                status = TicketEvent.Status.CLOSED;
            } else {
                type = TicketEvent.Type.DELETED;
                status = before.status();
            }
            // Some tickets carry a resolution deadline, a few hours to a few days after they were created.
            Instant resolutionDue = before != null && before.sla() != null ? before.sla().resolutionDueAt()
                    : random.nextInt(3) == 0 ? created.plus(Duration.ofHours(4 + random.nextInt(72))) : null;
            TicketEvent.Ticket ticket = new TicketEvent.Ticket(ticketId, status, priority, TicketEvent.Kind.QUESTION,
                    "subject", List.of(), null, null, created, now,
                    new TicketEvent.Sla(null, resolutionDue, breached));
            current.put(key, type == TicketEvent.Type.DELETED ? null : ticket);
            TimedEvent event = new TimedEvent(new TicketEvent(prefix + "-e-" + next++, TicketEvent.Source.API, type, now, account,
                    ticket), Timeline.eventTime(new TicketEvent(null, null, null, now, account, ticket), -1));
            sent.add(event);
            events.add(event);
        }
        return new Stream(accounts, events);
    }

    /** Mostly seconds apart; sometimes hours, days, or weeks (long enough for CTAs to age and windows to pass). */
    private static Duration gap(Random random) {
        int roll = random.nextInt(100);
        if (roll < 5) {
            return Duration.ZERO;
        }
        if (roll < 60) {
            return Duration.ofSeconds(1 + random.nextInt(120));
        }
        if (roll < 85) {
            return Duration.ofMinutes(1 + random.nextInt(360));
        }
        if (roll < 97) {
            return Duration.ofHours(1 + random.nextInt(72));
        }
        return Duration.ofDays(1 + random.nextInt(20));
    }
}
