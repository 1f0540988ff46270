package io.beacon.platform.rest;

import java.util.Optional;
import java.util.Set;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * A request with a body must say what the body is. Without a Content-Type, JAX-RS would match any
 * endpoint and guess; Beacon answers 415 instead, naming what the endpoint reads.
 */
public class ContentTypeFilter {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireContentType(ContainerRequestContext request) {
        if (!WITH_BODY.contains(request.getMethod()) || request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null) {
            return Optional.empty();
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean hasBody = request.getHeaderString("Transfer-Encoding") != null
                || (length != null && !length.trim().equals("0"));
        if (!hasBody) {
            return Optional.empty();
        }
        return Optional.of(Response.status(415).type(Problem.PROBLEM_JSON)
                .entity(new Problem("about:blank", "Unsupported Media Type", 415, "The request has a body but no "
                        + "Content-Type header; send Content-Type: application/json (text/csv for CSV imports).",
                        null, java.util.List.of(new Problem.FieldError("Content-Type", "is required"))))
                .build());
    }
}
