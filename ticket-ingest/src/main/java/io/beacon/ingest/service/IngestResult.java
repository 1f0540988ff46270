package io.beacon.ingest.service;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

import io.beacon.platform.rest.Problem.FieldError;

/**
 * What became of the events of one request.
 *
 * @param accepted event ids Kafka has acknowledged
 * @param rejected events refused, with their position in the request and why
 * @param parked of the accepted, those kept until account-service gives their organisation to an account
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestResult(List<String> accepted, List<Rejected> rejected, List<String> parked) {

    public IngestResult(List<String> accepted, List<Rejected> rejected) {
        this(accepted, rejected, null);
    }

    public record Rejected(int index, String eventId, List<FieldError> errors) {
    }
}
