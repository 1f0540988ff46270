package io.beacon.ingest.service;

import java.util.List;

import io.beacon.platform.rest.Problem.FieldError;

/**
 * What became of the events of one request.
 *
 * @param accepted event ids Kafka has acknowledged
 * @param rejected events refused, with their position in the request and why
 */
public record IngestResult(List<String> accepted, List<Rejected> rejected) {

    public record Rejected(int index, String eventId, List<FieldError> errors) {
    }
}
