package io.beacon.localstack.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;

/**
 * Entry point behind the {@code ./beacon} script: {@code up | down | status | token ROLE [SUBJECT]}.
 * {@code --home DIR} names the repository root (default: the working directory), {@code --state DIR}
 * where data, keys and logs go (default: {@code <home>/.beacon}), {@code --port-offset N} moves
 * every port by N.
 */
public final class BeaconCli {

    private BeaconCli() {
    }

    public static void main(String[] args) throws Exception {
        // Kafka and the broker's helpers log a lot at INFO; the launcher's own output is what users read.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        Path home = option(rest, "--home").map(BeaconCli::absolute).orElse(Path.of("").toAbsolutePath());
        Path state = option(rest, "--state").map(BeaconCli::absolute).orElse(home.resolve(".beacon"));
        int portOffset = option(rest, "--port-offset").map(Integer::parseInt).orElse(0);
        StackLayout layout = new StackLayout(home, state, portOffset);
        String command = rest.isEmpty() ? "help" : rest.remove(0);
        switch (command) {
            case "up":
                return new LocalStack(layout, out).up();
            case "down":
                return new LocalStack(layout, out).down();
            case "status":
                return new LocalStack(layout, out).status();
            case "token":
                return token(layout, rest, out);
            default:
                out.println("usage: beacon up [--detach] | down | status | logs [service] | token ROLE [SUBJECT]");
                return "help".equals(command) ? 0 : 2;
        }
    }

    /** Removes {@code --name VALUE} from the arguments and returns VALUE. */
    private static Optional<String> option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size()) {
            return Optional.empty();
        }
        String value = args.get(at + 1);
        args.subList(at, at + 2).clear();
        return Optional.of(value);
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static int token(StackLayout layout, List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            out.println("usage: beacon token ROLE [SUBJECT]   roles: " + DevTokens.ROLES);
            return 2;
        }
        String role = args.get(0);
        String subject = args.size() > 1 ? args.get(1) : role + "-user";
        try {
            out.println(new DevTokens(DevKeys.loadOrCreate(layout.keys())).issue(role, subject));
            return 0;
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
    }
}
