package io.beacon.platform.errors;

/**
 * Something this service depends on is away for now (a broker, a database): the request did not
 * take effect and may be sent again after {@code retryAfterSeconds}. Mapped to 503 with
 * {@code Retry-After}.
 */
public class Unavailable extends RuntimeException {

    private final int retryAfterSeconds;

    public Unavailable(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
