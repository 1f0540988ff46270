package io.beacon.ingest.rest;

import java.util.Optional;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.beacon.ingest.config.IngestConfig;
import io.beacon.platform.rest.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * Refuses an oversize body from its Content-Length, before reading it, with a problem document
 * that names the limit. (The HTTP layer's own hard limit, set higher, catches bodies that do not
 * declare a length.)
 */
public class RequestSizeFilter {

    private final IngestConfig config;

    RequestSizeFilter(IngestConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limitBodySize(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(length.trim()) > config.maxBodyBytes()) {
                return Optional.of(Problem.of(Status.REQUEST_ENTITY_TOO_LARGE, "The body has " + length.trim()
                        + " bytes; at most " + config.maxBodyBytes() + " are accepted. Split the batch.").toResponse());
            }
        } catch (NumberFormatException e) {
            return Optional.of(Problem.of(Status.BAD_REQUEST, "Content-Length is not a number.").toResponse());
        }
        return Optional.empty();
    }
}
