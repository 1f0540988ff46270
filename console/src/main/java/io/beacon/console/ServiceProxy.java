package io.beacon.console;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Calls the services for the UI with the signed-in user's access token: {@code /services/<name>/api/...}
 * goes to {@code <that service>/api/...} with {@code Authorization: Bearer <token>}, and the answer —
 * a live feed included — streams back as it comes. The browser never holds a token and the services
 * never see a cookie: they stay bearer-only. Only a request's content headers travel; the session
 * cookie, any Authorization header the browser sends and hop-by-hop headers do not.
 */
@ApplicationScoped
public class ServiceProxy {

    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);
    static final String PREFIX = "/services/";
    /** What of the browser's request goes along: what the body and the answer are about, nothing of the session. */
    private static final Set<String> FORWARDED_REQUEST = Set.of("accept", "accept-language", "content-type",
            "if-none-match", "if-modified-since", "last-event-id");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "set-cookie", "content-length");

    private final ConsoleConfig config;
    private final HttpClient client;

    ServiceProxy(ConsoleConfig config, Vertx vertx) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(50)
                .setConnectTimeout(5_000));
    }

    void routes(@Observes Router router) {
        router.route(PREFIX + "*").handler(BodyHandler.create().setBodyLimit(config.maxBodyBytes()))
                .handler(this::forward);
    }

    void forward(RoutingContext context) {
        String path = context.request().path();
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String servicePath = slash < 0 ? "" : rest.substring(slash);
        URI base = config.services().get(name);
        if (base == null || !servicePath.startsWith("/api/") || servicePath.contains("/../") || servicePath.contains("/./")) {
            problem(context, 404, "No such service API: " + name + servicePath + " (known: " + config.services().keySet() + ")");
            return;
        }
        String token = accessToken(context);
        if (token == null) {
            problem(context, 401, "Not signed in.");
            return;
        }
        String query = context.request().query();
        RequestOptions request = new RequestOptions().setMethod(context.request().method())
                .setHost(base.getHost()).setPort(base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80)
                .setSsl("https".equals(base.getScheme()))
                .setURI(base.getRawPath().replaceAll("/$", "") + servicePath + (query == null ? "" : "?" + query))
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        boolean live = isEventStream(context);
        if (!live) {
            request.setIdleTimeout(config.serviceTimeout().toMillis());
        }
        context.request().headers().forEach(h -> {
            if (FORWARDED_REQUEST.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                request.addHeader(h.getKey(), h.getValue());
            }
        });
        var body = context.body().buffer();
        client.request(request)
                .compose(outgoing -> body == null ? outgoing.send() : outgoing.send(body))
                .onSuccess(answer -> relay(context, answer))
                .onFailure(failure -> {
                    LOG.debugf("%s %s failed: %s", name, servicePath, failure.getMessage());
                    if (!context.response().headWritten()) {
                        problem(context, 502, name + " did not answer: " + failure.getMessage());
                    }
                });
    }

    private static void relay(RoutingContext context, HttpClientResponse answer) {
        var response = context.response().setStatusCode(answer.statusCode());
        answer.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                response.headers().add(h.getKey(), h.getValue());
            }
        });
        response.setChunked(true);
        // The browser went away (a live feed's page closed): stop the service's answer too, instead of
        // writing it into a closed response.
        response.closeHandler(closed -> answer.request().reset());
        // Streams: a live feed's events reach the browser as the service sends them.
        answer.pipeTo(response);
    }

    private static boolean isEventStream(RoutingContext context) {
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("text/event-stream");
    }

    private static String accessToken(RoutingContext context) {
        if (!(context.user() instanceof QuarkusHttpUser user)) {
            return null;
        }
        SecurityIdentity identity = user.getSecurityIdentity();
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        return credential == null ? null : credential.getToken();
    }

    static void problem(RoutingContext context, int status, String detail) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(io.vertx.core.json.Json.encode(Map.of("type", "about:blank", "status", status, "detail", detail)));
    }
}
