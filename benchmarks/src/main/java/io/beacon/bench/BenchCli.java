package io.beacon.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.beacon.contracts.Roles;
import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevTokens;

/**
 * {@code ./beacon bench ingest [--events N] [--batch N] [--concurrency N] [--accounts N] [--url URL]}
 * against a running local stack (it signs its token with the stack's dev key).
 */
public final class BenchCli {

    private BenchCli() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("ingest", "engine", "notify", "backtest").contains(args[0])) {
            System.out.println("usage: beacon bench ingest [--events 200000] [--batch 100] [--concurrency 8] "
                    + "[--accounts 10000] [--url http://localhost:8081]\n"
                    + "       beacon bench engine [--events 1000000] [--accounts 10000] [--mix lifecycle|churn] "
                    + "[--bootstrap localhost:9092] [--db jdbc:postgresql://localhost:15432/beacon]\n"
                    + "       beacon bench engine --rate 1000 [--seconds 60] [--warmup 15] [--accounts 1000] "
                    + "[--open-accounts 100000]   (latency; optionally over many accounts with open work)\n"
                    + "       beacon bench notify [--rate 200] [--seconds 60] [--warmup 10] [--csms 20] "
                    + "[--url http://localhost:8084]\n"
                    + "       beacon bench backtest [--hours 2] [--sweep MARS|ALL --min 2 --max 8] [--url http://localhost:8083]"
                    + "   (after bench engine)");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if ("engine".equals(args[0])) {
            System.exit(new EngineBenchmark(new EngineBenchmark.Options(
                    options.getOrDefault("bootstrap", "localhost:9092"),
                    Integer.parseInt(options.getOrDefault("events", "1000000")),
                    Integer.parseInt(options.getOrDefault("accounts", options.containsKey("rate") ? "1000" : "10000")),
                    options.getOrDefault("mix", "lifecycle"),
                    Integer.parseInt(options.getOrDefault("rate", "0")),
                    Integer.parseInt(options.getOrDefault("seconds", "60")),
                    Integer.parseInt(options.getOrDefault("warmup", "15")),
                    Path.of(options.getOrDefault("home", ".")).toAbsolutePath(),
                    Integer.parseInt(options.getOrDefault("open-accounts", "0")),
                    options.getOrDefault("db", "jdbc:postgresql://localhost:15432/beacon"),
                    options.getOrDefault("engine", "http://localhost:8083")), System.out).run());
        }
        Path home = Path.of(options.getOrDefault("home", ".")).toAbsolutePath();
        DevTokens tokens = new DevTokens(DevKeys.load(home.resolve(".beacon/keys")));
        if ("backtest".equals(args[0])) {
            System.exit(new BacktestBenchmark(new BacktestBenchmark.Options(options.getOrDefault("url", "http://localhost:8083"),
                    tokens.issue(Roles.RULES_ADMIN, "benchmark"), Integer.parseInt(options.getOrDefault("hours", "2")),
                    options.get("sweep"), Integer.parseInt(options.getOrDefault("min", "2")),
                    Integer.parseInt(options.getOrDefault("max", "8"))),
                    System.out).run());
        }
        if ("notify".equals(args[0])) {
            System.exit(new NotifyBenchmark(new NotifyBenchmark.Options(options.getOrDefault("bootstrap", "localhost:9092"),
                    options.getOrDefault("url", "http://localhost:8084"), tokens,
                    Integer.parseInt(options.getOrDefault("rate", "200")),
                    Integer.parseInt(options.getOrDefault("seconds", "60")),
                    Integer.parseInt(options.getOrDefault("warmup", "10")),
                    Integer.parseInt(options.getOrDefault("csms", "20"))), System.out).run());
        }
        String token = tokens.issue(Roles.INGEST, "benchmark");
        IngestBenchmark.Options ingest = new IngestBenchmark.Options(
                options.getOrDefault("url", "http://localhost:8081"), token,
                Integer.parseInt(options.getOrDefault("events", "200000")),
                Integer.parseInt(options.getOrDefault("batch", "100")),
                Integer.parseInt(options.getOrDefault("concurrency", "8")),
                Integer.parseInt(options.getOrDefault("accounts", "10000")),
                Integer.parseInt(options.getOrDefault("warmup", "200")));
        System.exit(new IngestBenchmark(ingest, System.out).run());
    }
}
