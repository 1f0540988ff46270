package io.beacon.localstack.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.beacon.contracts.Roles;

/**
 * The local stack's sign-in page: pick a role (and, for a CSM, who you are) and get a dev token as
 * the {@code beacon_token} cookie, then go back to the web UI. Cookies are per host, not per port,
 * so every service on localhost sees it. Only the local launcher runs this; a deployment signs
 * people in through its OIDC issuer instead.
 */
public final class DevSignIn implements AutoCloseable {

    public static final String COOKIE = "beacon_token";

    private final HttpServer server;
    private final DevTokens tokens;
    private final String defaultNext;
    private final List<String[]> csms;

    private DevSignIn(HttpServer server, DevTokens tokens, String defaultNext, List<String[]> csms) {
        this.server = server;
        this.tokens = tokens;
        this.defaultNext = defaultNext;
        this.csms = csms;
    }

    /**
     * @param csmsCsv the seeded CSMs ({@code id,name,email,team,segment}), offered as CSM identities
     * @param defaultNext where to go after signing in when the UI did not say
     */
    public static DevSignIn start(int port, DevTokens tokens, Path csmsCsv, String defaultNext) throws IOException {
        List<String[]> csms = Files.exists(csmsCsv) ? Files.readAllLines(csmsCsv).stream().skip(1)
                .filter(l -> !l.isBlank()).map(l -> l.split(",")).toList() : List.of();
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        DevSignIn signIn = new DevSignIn(server, tokens, defaultNext, csms);
        server.createContext("/sign-in", signIn::page);
        server.createContext("/sign-in/as", signIn::issue);
        server.createContext("/sign-out", signIn::signOut);
        server.start();
        return signIn;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/sign-in")) {
            issue(exchange);
            return;
        }
        String next = safeNext(query(exchange).get("next"));
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Beacon dev sign-in</title>
                <style>body{font:15px system-ui,sans-serif;max-width:640px;margin:40px auto;color:#1b1f24}
                form{border:1px solid #d4d9de;border-radius:8px;padding:12px 16px;margin:12px 0}
                button{font:inherit;background:#0b5cad;color:#fff;border:0;border-radius:5px;padding:5px 12px}
                button:focus-visible,select:focus-visible{outline:3px solid #ffbf47}</style></head><body>
                <h1>Beacon — local sign-in</h1>
                <p>This page exists only on the local stack: it signs a development token for the role you pick.</p>
                """);
        for (String role : List.of(Roles.EXEC, Roles.CSM, Roles.RULES_ADMIN, Roles.ADMIN)) {
            html.append("<form method=\"get\" action=\"/sign-in/as\"><input type=\"hidden\" name=\"role\" value=\"")
                    .append(role).append("\"><input type=\"hidden\" name=\"next\" value=\"").append(escape(next))
                    .append("\">");
            if (role.equals(Roles.CSM) && !csms.isEmpty()) {
                html.append("<label>CSM <select name=\"subject\">");
                csms.forEach(c -> html.append("<option value=\"").append(escape(c[0])).append("\">").append(escape(c[1]))
                        .append(" (").append(escape(c.length > 3 ? c[3] : "")).append(")</option>"));
                html.append("</select></label> ");
            } else {
                html.append("<input type=\"hidden\" name=\"subject\" value=\"").append(role.equals(Roles.EXEC)
                        ? "exec-demo" : role.equals(Roles.RULES_ADMIN) ? "ops-demo" : "admin-demo").append("\">");
            }
            html.append("<button type=\"submit\" id=\"as-").append(role).append("\">Sign in as ").append(role)
                    .append("</button></form>");
        }
        html.append("</body></html>");
        send(exchange, 200, html.toString());
    }

    private void issue(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange);
        String role = query.getOrDefault("role", "");
        String subject = query.getOrDefault("subject", role + "-demo");
        String token;
        try {
            token = tokens.issue(role, subject.isBlank() ? role + "-demo" : subject);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, escape(e.getMessage()));
            return;
        }
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        exchange.getResponseHeaders().add("Location", safeNext(query.get("next")));
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    private void signOut(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        exchange.getResponseHeaders().add("Location", "/sign-in?next="
                + URLEncoder.encode(safeNext(query(exchange).get("next")), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    /** Only back to a page on localhost, never to wherever a link says. */
    private String safeNext(String next) {
        if (next == null) {
            return defaultNext;
        }
        try {
            URI uri = URI.create(next);
            return "localhost".equals(uri.getHost()) && "http".equals(uri.getScheme()) ? next : defaultNext;
        } catch (IllegalArgumentException e) {
            return defaultNext;
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> result = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return result;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
