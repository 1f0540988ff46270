package io.beacon.platform.rest;

import java.util.Comparator;
import java.util.List;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * Turns every failure a resource can raise into {@code application/problem+json}, with a message a
 * caller can act on and without leaking internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problem.of(Status.BAD_REQUEST, "The request has " + errors.size() + " invalid field(s).", errors)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        Problem.FieldError error = JsonErrors.fieldError(e);
        if (!error.field().isEmpty()) {
            return Problem.of(Status.BAD_REQUEST, "Field '" + error.field() + "' could not be read: " + error.message(),
                    List.of(error)).toResponse();
        }
        return Problem.of(Status.BAD_REQUEST, error.message()).toResponse();
    }

    /** Quarkus REST has its own plain-JSON answer for these; ours says the same as problem+json. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unparsableJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(Status.FORBIDDEN, "Your token's role may not call this endpoint.").toResponse();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpHeaders headers) {
        String sent = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return Response.status(415).type(Problem.PROBLEM_JSON).entity(new Problem("about:blank",
                "Unsupported Media Type", 415, "This endpoint does not read " + (sent == null ? "a body without a "
                        + "Content-Type" : "'" + sent + "'") + "; send application/json (text/csv for CSV imports).",
                null, List.of(new Problem.FieldError("Content-Type", "must be application/json")))).build();
    }

    /** A service's refusal ({@link io.beacon.platform.errors.Refusal}): the status its kind says, the field if named. */
    @ServerExceptionMapper
    public Response refusal(io.beacon.platform.errors.Refusal e) {
        Response.StatusType status = switch (e.kind()) {
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case CONFLICT -> Response.Status.CONFLICT;
            case INVALID -> Response.Status.BAD_REQUEST;
            case TOO_LARGE -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
            case UNPROCESSABLE -> new Response.StatusType() {
                @Override
                public int getStatusCode() {
                    return 422;
                }

                @Override
                public Response.Status.Family getFamily() {
                    return Response.Status.Family.CLIENT_ERROR;
                }

                @Override
                public String getReasonPhrase() {
                    return "Unprocessable Content";
                }
            };
        };
        List<Problem.FieldError> errors = e.fields().isEmpty() ? null
                : e.fields().stream().map(f -> new Problem.FieldError(f.name(), f.message())).toList();
        return Problem.of(status, e.getMessage(), errors).toResponse();
    }

    /** A dependency is away: 503, and when to try again. */
    @ServerExceptionMapper
    public Response unavailable(io.beacon.platform.errors.Unavailable e) {
        return Response.fromResponse(Problem.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()).toResponse())
                .header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // Quarkus REST wraps a body it could not read as JSON in a plain 400; say what was wrong.
        if (e.getCause() instanceof JsonProcessingException unreadable && e.getResponse().getStatus() == 400) {
            return unreadableJson(unreadable);
        }
        Response original = e.getResponse();
        if (original.hasEntity() && original.getEntity() instanceof Problem) {
            return original;
        }
        Response.StatusType status = original.getStatusInfo();
        String detail = e.getMessage() != null ? e.getMessage() : status.getReasonPhrase();
        Response.ResponseBuilder builder = Response.fromResponse(original).type(Problem.PROBLEM_JSON)
                .entity(Problem.of(status, detail));
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unhandled error", e);
        return Problem.of(Status.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged.")
                .toResponse();
    }

    private static Response unauthorized() {
        return Response.status(Status.UNAUTHORIZED).type(Problem.PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer")
                .entity(Problem.of(Status.UNAUTHORIZED, "A valid bearer token is required."))
                .build();
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // "publish.arg0.ticket.id" -> "ticket.id": the method and parameter prefix mean nothing to a caller.
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : path;
    }
}
