package io.beacon.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.beacon.contracts.Roles;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ./beacon bench ingest|engine|notify|backtest [options]} against a running local stack (the
 * tokens are signed with the stack's dev key). Every option is typed and checked: a malformed or
 * unknown one is one line on standard error naming it, and exit code 2.
 */
@Command(name = "beacon bench", mixinStandardHelpOptions = true, version = "beacon bench",
        description = "Benchmarks against a running local stack (start it with ./beacon up --detach). Each prints "
                + "its progress, its numbers, the machine, and a baseline measured in the same run.",
        subcommands = { BenchCli.Ingest.class, BenchCli.Engine.class, BenchCli.Notify.class, BenchCli.Backtest.class,
                CommandLine.HelpCommand.class })
public final class BenchCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The repository root (the script passes it); the stack's dev key is under {@code .beacon/keys}. */
    @Option(names = "--home", hidden = true, scope = ScopeType.INHERIT, defaultValue = ".")
    Path home;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BenchCli()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("beacon bench: " + e.getMessage() + " (see ./" + failed.getCommandSpec().qualifiedName()
                    + " --help)");
            return 2;
        });
        return cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    DevTokens tokens() throws Exception {
        return new DevTokens(DevKeys.load(home.toAbsolutePath().resolve(".beacon/keys")));
    }

    static void atLeast(CommandSpec spec, String option, long value, long least) {
        if (value < least) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value
                    + " is below " + least);
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Load test of ticket-ingest: batches of ticket events posted concurrently; accepted events/s "
                    + "and latency, after a warm-up.")
    static final class Ingest implements Callable<Integer> {
        @CommandLine.ParentCommand
        BenchCli parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--events", defaultValue = "200000", description = "events to post (default: ${DEFAULT-VALUE})")
        int events;
        @Option(names = "--batch", defaultValue = "100", description = "events per request (default: ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--concurrency", defaultValue = "8", description = "requests in flight (default: ${DEFAULT-VALUE})")
        int concurrency;
        @Option(names = "--accounts", defaultValue = "10000", description = "accounts the events spread over (default: ${DEFAULT-VALUE})")
        int accounts;
        @Option(names = "--warmup", defaultValue = "200", description = "batches before measuring (default: ${DEFAULT-VALUE})")
        int warmup;
        @Option(names = "--url", defaultValue = "http://localhost:8081", description = "ticket-ingest (default: ${DEFAULT-VALUE})")
        String url;

        @Override
        public Integer call() throws Exception {
            atLeast(spec, "--events", events, 1);
            atLeast(spec, "--batch", batch, 1);
            atLeast(spec, "--concurrency", concurrency, 1);
            atLeast(spec, "--accounts", accounts, 1);
            atLeast(spec, "--warmup", warmup, 0);
            return new IngestBenchmark(new IngestBenchmark.Options(url, parent.tokens().issue(Roles.INGEST, "benchmark"),
                    events, batch, concurrency, accounts, warmup), System.out).run();
        }
    }

    enum Mix {
        lifecycle, churn
    }

    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = { "Throughput of cta-engine over events published straight to Kafka, against a raw consumer "
                    + "and the engine's pieces alone; with --rate, publish-to-CTA latency at a fixed rate." })
    static final class Engine implements Callable<Integer> {
        @CommandLine.ParentCommand
        BenchCli parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--events", defaultValue = "1000000", description = "events to publish (default: ${DEFAULT-VALUE})")
        int events;
        @Option(names = "--accounts", description = "accounts (default: 10000, or 1000 with --rate)")
        Integer accounts;
        @Option(names = "--mix", defaultValue = "lifecycle", description = "event mix: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        Mix mix;
        @Option(names = "--rate", defaultValue = "0", description = "events per second for a latency run (0: throughput)")
        int rate;
        @Option(names = "--seconds", defaultValue = "60", description = "measured seconds of a latency run (default: ${DEFAULT-VALUE})")
        int seconds;
        @Option(names = "--warmup", defaultValue = "15", description = "warm-up seconds of a latency run (default: ${DEFAULT-VALUE})")
        int warmup;
        @Option(names = "--open-accounts", defaultValue = "0", description = "accounts with open work beside a latency run")
        int openAccounts;
        @Option(names = "--bootstrap", defaultValue = "localhost:9092", description = "Kafka (default: ${DEFAULT-VALUE})")
        String bootstrap;
        @Option(names = "--db", defaultValue = "jdbc:postgresql://localhost:15432/beacon", description = "the stack's database")
        String db;
        @Option(names = "--engine", defaultValue = "http://localhost:8083", description = "cta-engine (default: ${DEFAULT-VALUE})")
        String engine;

        @Override
        public Integer call() throws Exception {
            atLeast(spec, "--events", events, 1);
            atLeast(spec, "--rate", rate, 0);
            atLeast(spec, "--seconds", seconds, 1);
            atLeast(spec, "--warmup", warmup, 0);
            atLeast(spec, "--open-accounts", openAccounts, 0);
            int accountCount = accounts != null ? accounts : rate > 0 ? 1000 : 10000;
            atLeast(spec, "--accounts", accountCount, 1);
            return new EngineBenchmark(new EngineBenchmark.Options(bootstrap, events, accountCount, mix.name(), rate,
                    seconds, warmup, parent.home.toAbsolutePath(), openAccounts, db, engine), System.out).run();
        }
    }

    @Command(name = "notify", mixinStandardHelpOptions = true,
            description = "ctas.events to inbox-on-screen latency of notification-service at a fixed rate.")
    static final class Notify implements Callable<Integer> {
        @CommandLine.ParentCommand
        BenchCli parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--rate", defaultValue = "200", description = "CTA events per second (default: ${DEFAULT-VALUE})")
        int rate;
        @Option(names = "--seconds", defaultValue = "60", description = "measured seconds (default: ${DEFAULT-VALUE})")
        int seconds;
        @Option(names = "--warmup", defaultValue = "10", description = "warm-up seconds (default: ${DEFAULT-VALUE})")
        int warmup;
        @Option(names = "--csms", defaultValue = "20", description = "CSMs the CTAs belong to (default: ${DEFAULT-VALUE})")
        int csms;
        @Option(names = "--bootstrap", defaultValue = "localhost:9092", description = "Kafka (default: ${DEFAULT-VALUE})")
        String bootstrap;
        @Option(names = "--url", defaultValue = "http://localhost:8084", description = "notification-service (default: ${DEFAULT-VALUE})")
        String url;

        @Override
        public Integer call() throws Exception {
            atLeast(spec, "--rate", rate, 1);
            atLeast(spec, "--seconds", seconds, 1);
            atLeast(spec, "--warmup", warmup, 0);
            atLeast(spec, "--csms", csms, 1);
            return new NotifyBenchmark(new NotifyBenchmark.Options(bootstrap, url, parent.tokens(), rate, seconds, warmup,
                    csms), System.out).run();
        }
    }

    enum SweepScope {
        MERCURY, MARS, VENUS, JUPITER, ALL
    }

    @Command(name = "backtest", mixinStandardHelpOptions = true,
            description = { "Backtest speed over the events 'bench engine' recorded: \"support risk at 3 for MARS\" "
                    + "against the active version; with --sweep, then a threshold sweep of supportRisk.openTickets over "
                    + "the same events, its time beside the backtest's." })
    static final class Backtest implements Callable<Integer> {
        @CommandLine.ParentCommand
        BenchCli parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--hours", defaultValue = "2", description = "the window: the last N hours (default: ${DEFAULT-VALUE})")
        int hours;
        @Option(names = "--sweep", description = "sweep this segment too: ${COMPLETION-CANDIDATES}")
        SweepScope sweep;
        @Option(names = "--min", defaultValue = "2", description = "first swept value (default: ${DEFAULT-VALUE})")
        int min;
        @Option(names = "--max", defaultValue = "8", description = "last swept value (default: ${DEFAULT-VALUE})")
        int max;
        @Option(names = "--url", defaultValue = "http://localhost:8083", description = "cta-engine (default: ${DEFAULT-VALUE})")
        String url;

        @Override
        public Integer call() throws Exception {
            atLeast(spec, "--hours", hours, 1);
            atLeast(spec, "--min", min, 0);
            atLeast(spec, "--max", max, min);
            return new BacktestBenchmark(new BacktestBenchmark.Options(url, parent.tokens().issue(Roles.RULES_ADMIN, "benchmark"),
                    hours, sweep == null ? null : sweep.name(), min, max), System.out).run();
        }
    }
}
