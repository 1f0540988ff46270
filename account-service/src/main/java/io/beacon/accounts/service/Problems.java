package io.beacon.accounts.service;

import io.beacon.platform.rest.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response.Status;

/** The account service's error answers. */
final class Problems {

    private Problems() {
    }

    static WebApplicationException of(Status status, String detail) {
        return new WebApplicationException(detail, Problem.of(status, detail).toResponse());
    }

    static WebApplicationException notFound(String what, String id) {
        return of(Status.NOT_FOUND, "No " + what + " with id '" + id + "'.");
    }
}
