package io.beacon.platform.rest;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Too large a body (413) or too long a URL (414) are answered with problem+json naming the limit,
 * before anything reads the request. (The HTTP server's own answers to these carry no body; its
 * line limit is set above {@link #MAX_URI} in {@code META-INF/microprofile-config.properties} so
 * that this filter sees the request first.)
 */
@ApplicationScoped
public class RequestLimits {

    /** The longest request URL, path and query, that any Beacon endpoint accepts. */
    public static final int MAX_URI = 8_192;

    private final long maxBody;

    RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(context -> {
            String uri = context.request().uri();
            if (uri.length() > MAX_URI) {
                answer(context, 414, "URI Too Long", "The request URL has " + uri.length() + " characters; at most "
                        + MAX_URI + " are accepted. Send long filters in a request body.");
                return;
            }
            String length = context.request().getHeader("Content-Length");
            if (length != null) {
                try {
                    long bytes = Long.parseLong(length.trim());
                    if (bytes > maxBody) {
                        answer(context, 413, "Content Too Large", "The body has " + bytes + " bytes; at most " + maxBody
                                + " are accepted.");
                        return;
                    }
                } catch (NumberFormatException e) {
                    answer(context, 400, "Bad Request", "Content-Length is not a number.");
                    return;
                }
            }
            context.next();
        }, 10_000);
    }

    private static void answer(io.vertx.ext.web.RoutingContext context, int status, String title, String detail) {
        context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(Json.encode(new Problem("about:blank", title, status, detail, null, java.util.List.of())));
    }
}
