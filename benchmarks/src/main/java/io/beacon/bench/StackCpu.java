package io.beacon.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time each process of the local stack spends, read from /proc (Linux): the four services (their
 * pid files in .beacon/run), the launcher (it hosts the Kafka broker and the mail server) and
 * PostgreSQL (the postmaster and every backend it has started, finished ones included through the
 * postmaster's children's time). {@link #sample()} before and after a run; {@link #report} prints the
 * seconds each spent per 1,000 events, so the cost of every hop is visible.
 */
final class StackCpu {

    private static final List<String> SERVICES = List.of("ticket-ingest", "account-service", "cta-engine", "notification-service");
    /** Clock ticks per second of /proc's times: USER_HZ, 100 on Linux. */
    private static final double TICKS = 100.0;

    private final Path run;
    private final Path postgres;

    StackCpu(Path home) {
        this.run = home.resolve(".beacon/run");
        this.postgres = home.resolve(".beacon/postgres");
    }

    /** CPU seconds so far per process name; empty where /proc or the stack's files are missing. */
    Map<String, Double> sample() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String service : SERVICES) {
            pid(run.resolve(service + ".pid")).ifPresent(pid -> seconds.put(service, ownTime(pid)));
        }
        pid(run.resolve("launcher.pid")).ifPresent(pid -> seconds.put("kafka+mail (launcher)", ownTime(pid)));
        postmaster().ifPresent(pid -> seconds.put("postgresql", postgresTime(pid)));
        seconds.values().removeIf(v -> v < 0);
        return seconds;
    }

    /**
     * Waits until the whole stack uses less than {@code cores} of a core over 5 s (or the timeout
     * passes); returns the last 5 s's use, in cores.
     */
    double settle(double cores, java.time.Duration timeout) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        double use;
        do {
            Map<String, Double> before = sample();
            Thread.sleep(5_000);
            Map<String, Double> after = sample();
            use = after.entrySet().stream().mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), e.getValue())).sum() / 5;
        } while (use >= cores && java.time.Instant.now().isBefore(deadline));
        return use;
    }

    void report(Map<String, Double> before, Map<String, Double> after, long events, PrintStream out) {
        if (after.isEmpty()) {
            out.println("CPU per process: not available (needs Linux /proc and a stack started by ./beacon up)");
            return;
        }
        double total = 0;
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double spent = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            total += spent;
            line.append(String.format("%n  %-24s %8.1f s CPU  %7.3f s per 1,000 events", e.getKey(), spent, spent * 1000 / events));
        }
        out.printf("CPU per process over the run (%d events):%s%n  %-24s %8.1f s CPU  %7.3f s per 1,000 events%n",
                events, line, "all", total, total * 1000 / events);
    }

    private static java.util.Optional<Long> pid(Path file) {
        try {
            return Files.exists(file) ? java.util.Optional.of(Long.parseLong(Files.readString(file).trim())) : java.util.Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** The postmaster's pid: the first line of postmaster.pid in the data directory (or one level down). */
    private java.util.Optional<Long> postmaster() {
        try (Stream<Path> files = Files.exists(postgres) ? Files.walk(postgres, 2) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().equals("postmaster.pid")).findFirst().flatMap(p -> {
                try {
                    return java.util.Optional.of(Long.parseLong(Files.readAllLines(p).get(0).trim()));
                } catch (IOException | RuntimeException e) {
                    return java.util.Optional.empty();
                }
            });
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** utime + stime of the process and of its waited-for children (threads included), in seconds; -1 if gone. */
    private static double ownTime(long pid) {
        String[] f = stat(pid);
        return f == null ? -1 : (Long.parseLong(f[13]) + Long.parseLong(f[14]) + Long.parseLong(f[15]) + Long.parseLong(f[16])) / TICKS;
    }

    /** The postmaster's time (with its finished backends) plus every live backend's own time. */
    private static double postgresTime(long postmaster) {
        double total = ownTime(postmaster);
        if (total < 0) {
            return -1;
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String[] f = stat(Long.parseLong(p.getFileName().toString()));
                if (f != null && Long.parseLong(f[3]) == postmaster) {
                    total += (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS;
                }
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }

    /**
     * The fields of /proc/PID/stat, numbered as in proc(5) minus one (so [3] is the parent pid, [13]
     * utime, [14] stime, [15] cutime, [16] cstime); null if the process is gone.
     */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces.
            String rest = line.substring(line.lastIndexOf(')') + 2);
            String[] tail = rest.split(" ");
            String[] fields = new String[tail.length + 2];
            fields[0] = Long.toString(pid);
            fields[1] = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
            System.arraycopy(tail, 0, fields, 2, tail.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
