package io.beacon.system;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.beacon.system.SeedFiles.Account;
import io.beacon.system.SeedFiles.Seeds;

/**
 * The generated stream. Each account gets 0–9 tickets, each ticket a series of versions whose
 * priority never falls; tickets stay open. 3% of events are sent twice (same id), 2% of
 * versions get a late copy (new id, old content) sent after newer versions.
 */
record FaultStream(List<Event> events, List<String> canaries) {

    static FaultStream generate(Seeds seeds, int total, Random random) {
        List<String> priorities = List.of("low", "normal", "high", "urgent");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> jupiter = seeds.accounts().values().stream().filter(a -> SeedFiles.segment(a.employees()).equals("JUPITER"))
                .map(Account::id).toList();
        List<String> canaries = jupiter.subList(jupiter.size() - 5, jupiter.size());
        // Tickets: how many per account and the final priority of each.
        List<String[]> tickets = new ArrayList<>();
        for (Account a : seeds.accounts().values()) {
            long days = a.renewal() == null ? 1000 : ChronoUnit.DAYS.between(today, a.renewal());
            // Near a rule boundary the outcome could change while the suite runs: keep such accounts calm.
            boolean calm = canaries.contains(a.id()) || Math.abs(days) <= 1 || Math.abs(days - 90) <= 1;
            int count = random.nextInt(10);
            for (int t = 0; t < count; t++) {
                int top = calm ? 1 : random.nextInt(100) < 6 ? 3 : random.nextInt(100) < 12 ? 2 : random.nextInt(2);
                tickets.add(new String[] { a.id(), a.id() + "-T" + t, priorities.get(top) });
            }
        }
        int perTicket = Math.max(1, total / tickets.size());
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(6));
        // Versions per ticket, priorities non-decreasing up to the ticket's final one.
        List<List<Event>> series = new ArrayList<>();
        int serial = 0;
        for (String[] t : tickets) {
            List<Event> versions = new ArrayList<>();
            int top = priorities.indexOf(t[2]);
            int level = 0;
            for (int v = 0; v < perTicket; v++) {
                if (v == perTicket - 1) {
                    level = top;
                } else if (level < top && random.nextInt(perTicket) < 2) {
                    level++;
                }
                String status = v == 0 ? "new" : random.nextBoolean() ? "open" : "pending";
                Instant at = start.plusMillis(v * 200L + random.nextInt(150));
                versions.add(event("ev-" + (++serial), t[0], t[1], status, priorities.get(level), at));
            }
            series.add(versions);
        }
        // Interleave the series: a random series gives its next version each time.
        List<Event> events = new ArrayList<>();
        List<Event> late = new ArrayList<>();
        int[] next = new int[series.size()];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            open.add(i);
        }
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int s = open.get(pick);
            Event e = series.get(s).get(next[s]++);
            if (next[s] == series.get(s).size()) {
                open.remove(pick);
            }
            events.add(e);
            if (random.nextInt(100) < 3) {
                events.add(e); // a duplicate: the same event again
            }
            if (random.nextInt(100) < 2) {
                late.add(event("late-" + e.eventId(), e.accountId(), e.ticketId(), e.status(), e.priority(), e.updatedAt()));
            }
            if (!late.isEmpty() && random.nextInt(100) < 3) {
                events.add(late.remove(random.nextInt(late.size()))); // an older version, after newer ones
            }
        }
        events.addAll(late);
        return new FaultStream(events, canaries);
    }

    static Event event(String id, String account, String ticket, String status, String priority, Instant at) {
        String json = """
                {"eventId":"%s","source":"api","type":"updated","occurredAt":"%s","accountId":"%s",\
                "ticket":{"id":"%s","status":"%s","priority":"%s","createdAt":"%s","updatedAt":"%s"}}"""
                .formatted(id, at, account, ticket, status, priority, at, at);
        return new Event(id, account, ticket, status, priority, at, json);
    }
}

/** One ticket event as sent; {@code priority} and {@code updatedAt} are what the oracle needs. */
record Event(String eventId, String accountId, String ticketId, String status, String priority, Instant updatedAt,
        String json) {
}
