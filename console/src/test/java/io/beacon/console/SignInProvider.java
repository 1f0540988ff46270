package io.beacon.console;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.beacon.localstack.security.DevKeys;
import io.beacon.localstack.security.DevSignIn;
import io.beacon.localstack.security.DevTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For the console under test: the local stack's OIDC provider (real HTTP, real signatures, tokens
 * that live {@value #TOKEN_SECONDS} s so refresh happens within a test) and a service that answers
 * every call with what it received — method, path, query, headers, body — so tests see exactly what
 * the console sends a service. {@code /api/stream} sends one server-sent event, then a second only
 * once {@code /release} has been called on it directly.
 */
public class SignInProvider implements QuarkusTestResourceLifecycleManager {

    static final int TOKEN_SECONDS = 4;
    private DevSignIn provider;
    private HttpServer echo;

    @Override
    public Map<String, String> start() {
        try {
            String secret = DevSignIn.newClientSecret();
            provider = DevSignIn.start(freePort(), new DevTokens(DevKeys.generate()), Path.of("../seeds/csms.csv"),
                    secret, Duration.ofSeconds(TOKEN_SECONDS));
            echo = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            echo.setExecutor(Executors.newCachedThreadPool());
            CountDownLatch release = new CountDownLatch(1);
            echo.createContext("/release", exchange -> {
                release.countDown();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            echo.createContext("/api/stream", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (release.await(20, TimeUnit.SECONDS)) {
                        out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            echo.createContext("/", SignInProvider::echo);
            echo.start();
            return Map.of(
                    "quarkus.oidc.auth-server-url", provider.issuerUrl(),
                    "quarkus.oidc.client-id", DevSignIn.CLIENT_ID,
                    "quarkus.oidc.credentials.secret", secret,
                    "quarkus.oidc.token.refresh-token-time-skew", "1S",
                    "beacon.console.services.echo", "http://localhost:" + echo.getAddress().getPort(),
                    "beacon.console.desks.zendesk", "https://acme.zendesk.com/agent/tickets/{id}",
                    "beacon.console.desks.evil", "javascript:alert('{id}')");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void echo(HttpExchange exchange) throws IOException {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("method", exchange.getRequestMethod());
        seen.put("path", exchange.getRequestURI().getRawPath());
        seen.put("query", exchange.getRequestURI().getRawQuery());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values));
        seen.put("headers", headers);
        seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] body = new ObjectMapper().writeValueAsBytes(seen);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Set-Cookie", "service_cookie=leak");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
        }
        if (echo != null) {
            echo.stop(0);
        }
    }
}
