package io.beacon.localstack.launcher;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The commands behind the {@code ./beacon} script, with help for each ({@code ./beacon help},
 * {@code ./beacon <command> --help}). Output goes to standard output, errors to standard error with
 * a non-zero exit; an unknown or malformed option is refused naming it. The script itself builds
 * what changed, detaches {@code up --detach}, follows {@code logs} and runs {@code bench} from the
 * benchmarks jar; those are listed here so that help covers every command.
 */
@Command(name = "beacon", mixinStandardHelpOptions = true, versionProvider = BeaconCli.Version.class,
        description = { "Beacon on this machine: Kafka, PostgreSQL and a mail server embedded, the four services and "
                + "the console, demo data and 30 days of support history." },
        subcommands = { BeaconCli.Up.class, BeaconCli.Down.class, BeaconCli.Status.class, BeaconCli.Logs.class,
                BeaconCli.Token.class, BeaconCli.DemoCommand.class, BeaconCli.Bench.class, CommandLine.HelpCommand.class },
        footer = { "", "First time: ./beacon up --detach, open http://localhost:8085/, then ./beacon demo.",
                "Tests: ./mvnw verify" })
public final class BeaconCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", hidden = true, scope = ScopeType.INHERIT, description = "the repository root")
    Path home;

    @Option(names = "--state", hidden = true, scope = ScopeType.INHERIT, description = "data, keys and logs (default: <home>/.beacon)")
    Path state;

    @Option(names = "--port-offset", hidden = true, scope = ScopeType.INHERIT, defaultValue = "0",
            description = "moves every port by N")
    int portOffset;

    /** Held so that its level stays set (java.util.logging keeps loggers weakly); the embedded broker's start-up INFO. */
    private static final java.util.logging.Logger KAFKA_COMPANION =
            java.util.logging.Logger.getLogger("io.smallrye.reactive.messaging.kafka.companion");

    public static void main(String[] args) {
        // Kafka and the broker's helpers log a lot at INFO; the launcher's own output is what users read.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // A new broker's controller warns that its metadata log is empty: true, and expected, at a first start.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error");
        KAFKA_COMPANION.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new BeaconCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine where = e.getCommandLine();
            String message = e.getMessage();
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched && where.getParent() == null
                    && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
                message = "unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are "
                        + String.join(", ", where.getSubcommands().keySet());
            }
            where.getErr().println("beacon: " + message + " (see ./" + where.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, command, ignored) -> {
            command.getErr().println("beacon: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    StackLayout layout() {
        Path root = (home == null ? Path.of("") : home).toAbsolutePath().normalize();
        Path data = state == null ? root.resolve(".beacon") : state.toAbsolutePath().normalize();
        return new StackLayout(root, data, portOffset);
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = { "Builds what changed (module by module), "
            + "starts Kafka, PostgreSQL and mail, creates the topics, seeds demo data and history once, starts the "
            + "services and the console and waits until each is ready, saying which it still waits for; then prints "
            + "the URLs and the next step. Ctrl-C stops everything." })
    static final class Up implements Callable<Integer> {
        @CommandLine.ParentCommand
        BeaconCli parent;
        @Option(names = "--detach", description = "return once everything is ready; stop it later with ./beacon down")
        boolean detach;

        @Override
        public Integer call() throws Exception {
            return new LocalStack(parent.layout(), System.out).up();
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stops a stack started with up --detach.")
    static final class Down implements Callable<Integer> {
        @CommandLine.ParentCommand
        BeaconCli parent;

        @Override
        public Integer call() throws Exception {
            return new LocalStack(parent.layout(), System.out).down();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Which processes run, and whether each service is ready.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        BeaconCli parent;

        @Override
        public Integer call() throws Exception {
            return new LocalStack(parent.layout(), System.out).status();
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "Follows the logs of every service, or of one (.beacon/logs/<service>.log).")
    static final class Logs implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "SERVICE",
                description = "ticket-ingest, account-service, cta-engine, notification-service, console or launcher")
        String service;

        @Override
        public Integer call() {
            System.err.println("beacon: logs are followed by the ./beacon script; run ./beacon logs " + (service == null ? "" : service));
            return 2;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = { "Prints a bearer token for a role, signed by the local stack's dev key (valid 12 h).",
                    "Roles: csm (SUBJECT = a CSM id, e.g. csm-ana), exec, rules-admin, admin, ingest." })
    static final class Token implements Callable<Integer> {
        @CommandLine.ParentCommand
        BeaconCli parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", arity = "0..1", paramLabel = "ROLE", description = "csm, exec, rules-admin, admin or ingest")
        String role;
        @Parameters(index = "1", arity = "0..1", paramLabel = "SUBJECT", description = "who the token is for (default: <role>-user)")
        String subject;

        @Override
        public Integer call() throws Exception {
            if (role == null || !DevTokens.ROLES.contains(role)) {
                spec.commandLine().getErr().println("beacon token: " + (role == null ? "which role?" : "unknown role '" + role + "'.")
                        + " One of " + new TreeSet<>(DevTokens.ROLES) + ":\n"
                        + "  csm          a customer-success manager; give their CSM id as SUBJECT (./beacon token csm csm-ana)\n"
                        + "  exec         an executive: dashboard, all accounts and CTAs\n"
                        + "  rules-admin  ops: rule versions, backtests, sweeps, activation\n"
                        + "  admin        everything, including account imports and source keys\n"
                        + "  ingest       a support system posting ticket events");
                return 2;
            }
            spec.commandLine().getOut().println(new DevTokens(DevKeys.loadOrCreate(parent.layout().keys()))
                    .issue(role, subject == null ? role + "-user" : subject));
            return 0;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true, description = { "On a running stack: tickets open one by one "
            + "on a quiet MARS account until a support-risk CTA appears, then an urgent ticket on a VENUS account escalates; "
            + "each step says what Beacon did and where to see it." })
    static final class DemoCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        BeaconCli parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            StackLayout layout = parent.layout();
            try {
                return new Demo(layout, new DevTokens(DevKeys.load(layout.keys())), spec.commandLine().getOut()).run();
            } catch (Demo.DemoFailed | java.io.IOException e) {
                spec.commandLine().getErr().println("beacon demo: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = { "Benchmarks against a running stack: ingest, engine, notify, backtest (with --sweep). "
                    + "See ./beacon bench --help and ./beacon bench <benchmark> --help." })
    static final class Bench implements Callable<Integer> {
        @Parameters(arity = "0..*", hidden = true)
        List<String> args;

        @Override
        public Integer call() {
            System.err.println("beacon: benchmarks run from the benchmarks jar; use ./beacon bench --help");
            return 2;
        }
    }

    /** The version Maven wrote into the launcher's jar (a run from classes says so). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BeaconCli.class.getPackage().getImplementationVersion();
            return new String[] { "beacon " + (version == null ? "(built from source, no jar)" : version)
                    + " on Java " + Runtime.version() };
        }
    }
}
