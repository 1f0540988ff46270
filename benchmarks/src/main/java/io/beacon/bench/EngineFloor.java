package io.beacon.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.beacon.contracts.TicketEvent;
import io.beacon.engine.cta.CtaChange;
import io.beacon.engine.cta.CtaReconciler;
import io.beacon.engine.evaluation.AccountState;
import io.beacon.engine.evaluation.EvaluationService;
import io.beacon.engine.evaluation.Timeline;
import io.beacon.engine.rules.ActiveRuleset;
import io.beacon.engine.rules.RuleCompiler;
import io.beacon.engine.rules.Ruleset;
import io.beacon.engine.tickets.TicketState;
import io.beacon.engine.tickets.TicketStateService;

/**
 * The pieces the engine is made of, each measured alone on the records the engine has just
 * processed, in this process, one thread, as the engine's consumer works: the engine can be no faster
 * than its slowest piece, and its rate as a fraction of that piece's is the figure to track.
 * <ul>
 * <li><b>rules, no database</b>: every event through the engine's own {@link Timeline} (tickets, due
 * instants, Drools, CTA reconciliation) with the rules of {@code seeds/rules}, states kept in memory;</li>
 * <li><b>database, no rules</b>: batches of 500 events through the engine's own statements for its
 * state rows — account locks, event ids, the accounts' tickets read and the changed ones written back,
 * the clocks — in a scratch schema that is dropped afterwards.</li>
 * </ul>
 * Consuming and deserialising the records is the third piece (the benchmark's raw consumer).
 */
final class EngineFloor {

    /** One event as the engine evaluates it: at its event time. */
    record Timed(TicketEvent event, Instant at) {
    }

    record Result(String piece, Duration took, int events, String detail) {
        double rate() {
            return events / (took.toNanos() / 1e9);
        }
    }

    private static final int BATCH = 500;

    private final ObjectMapper json;
    private final Function<String, AccountState.Account> accounts;

    EngineFloor(ObjectMapper json, Function<String, AccountState.Account> accounts) {
        this.json = json;
        this.accounts = accounts;
    }

    /** The records from {@code start} on, deserialised, in partition order per account. */
    List<Timed> read(String bootstrap, Map<TopicPartition, Long> start, int count) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-floor-" + UUID.randomUUID());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, BATCH);
        List<Timed> events = new ArrayList<>(count);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            while (events.size() < count) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    TicketEvent event = json.readValue(record.value(), TicketEvent.class);
                    events.add(new Timed(event, Timeline.eventTime(event, record.timestamp())));
                }
            }
        }
        return events;
    }

    /** Every event through the engine's timeline and rules, nothing stored. */
    Result rules(Path rulesDir, List<Timed> events) {
        Ruleset ruleset = ActiveRuleset.fromDirectory(rulesDir);
        RuleCompiler.Compiled compiled = new RuleCompiler().compile(ruleset.files());
        if (!compiled.ok()) {
            throw new IllegalStateException("the rules in " + rulesDir + " do not compile: " + compiled.errors());
        }
        long[] failures = { 0 };
        Timeline timeline = new Timeline(new ActiveRuleset.Compiled(ruleset, compiled.kieBase(), "bench"),
                new CtaReconciler(json), 200, (state, rules, rule, message) -> failures[0]++);
        Map<String, AccountState> states = new HashMap<>();
        List<CtaChange> changes = new ArrayList<>();
        long changed = 0;
        Instant began = Instant.now();
        for (Timed timed : events) {
            AccountState state = states.computeIfAbsent(timed.event().accountId(),
                    id -> AccountState.empty(id, accounts.apply(id)));
            timeline.apply(state, timed.event(), timed.at(), changes);
            changed += changes.size();
            changes.clear();
        }
        return new Result("rules, no database", Duration.between(began, Instant.now()), events.size(),
                "%d evaluations, %d CTA changes, %d rule failures".formatted(timeline.evaluations(), changed, failures[0]));
    }

    /** The engine's state writes for every event, in batches, with no rules. */
    Result database(String url, String user, String password, List<Timed> events) throws SQLException {
        String schema = "bench_floor_" + Long.toString(System.nanoTime(), 36);
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE SCHEMA " + schema);
                for (String table : List.of("processed_event", "ticket", "account_clock")) {
                    ddl.execute("CREATE TABLE " + schema + "." + table + " (LIKE engine." + table + " INCLUDING ALL)");
                }
                ddl.execute("SET search_path TO " + schema);
            }
            try {
                connection.setAutoCommit(false);
                long ticketsWritten = 0;
                Instant began = Instant.now();
                for (int from = 0; from < events.size(); from += BATCH) {
                    ticketsWritten += batch(connection, events.subList(from, Math.min(events.size(), from + BATCH)));
                    connection.commit();
                }
                Duration took = Duration.between(began, Instant.now());
                return new Result("database, no rules", took, events.size(),
                        "%d ticket rows written in %d transactions".formatted(ticketsWritten,
                                (events.size() + BATCH - 1) / BATCH));
            } finally {
                connection.setAutoCommit(true);
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private int batch(Connection connection, List<Timed> batch) throws SQLException {
        Map<String, Instant> latest = new TreeMap<>();
        for (Timed timed : batch) {
            latest.merge(timed.event().accountId(), timed.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
        EvaluationService.lockAccounts(connection, latest.keySet());
        TicketStateService.recordFirstSeen(connection, batch.stream().map(Timed::event).toList());
        Map<String, Map<String, TicketState>> tickets = TicketStateService.load(connection, latest.keySet());
        Map<String, AccountState> states = new LinkedHashMap<>();
        latest.forEach((id, at) -> states.put(id, new AccountState(id, accounts.apply(id),
                tickets.getOrDefault(id, Map.of()), List.of(), at, null)));
        List<TicketState> changed = new ArrayList<>();
        for (Timed timed : batch) {
            Timeline.applyTicket(states.get(timed.event().accountId()), timed.event());
        }
        states.values().forEach(state -> changed.addAll(state.changedTickets()));
        TicketStateService.write(connection, changed);
        EvaluationService.writeClocks(connection, new ArrayList<>(states.values()));
        return changed.size();
    }
}
