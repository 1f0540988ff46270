package io.beacon.notify.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP server standing in for a chat webhook: {@code /hook} answers 200, {@code /broken}
 * answers 500 forever. It records every body it receives, per path.
 */
public class WebhookSink implements QuarkusTestResourceLifecycleManager {

    private static HttpServer server;
    private static final Map<String, List<String>> RECEIVED = new ConcurrentHashMap<>();

    public static synchronized String url(String path) {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/hook", exchange -> answer(exchange, 200, "ok"));
            server.createContext("/broken", exchange -> answer(exchange, 500, "chat service unavailable"));
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Bodies received on {@code path} that contain {@code text}. */
    public static List<String> received(String path, String text) {
        return RECEIVED.getOrDefault(path, List.of()).stream().filter(body -> body.contains(text)).toList();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        RECEIVED.computeIfAbsent(exchange.getHttpContext().getPath(), key -> new CopyOnWriteArrayList<>()).add(received);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public Map<String, String> start() {
        // (ChatAndCrmServer's Teams channel is configured here too, so that test classes share one application.)
        return Map.of("beacon.notify.webhook.url", url("/hook"),
                "beacon.notify.teams.Broken-1.webhook-url", url("/broken"),
                "beacon.notify.teams." + ChatAndCrmServer.TEAMS_TEAM + ".webhook-url", ChatAndCrmServer.url("/teams"),
                "beacon.notify.teams." + ChatAndCrmServer.TEAMS_TEAM + ".webhook-format", "TEAMS");
    }

    @Override
    public void stop() {
        // Shared by every test class of the module; the JVM's exit stops it.
    }
}
