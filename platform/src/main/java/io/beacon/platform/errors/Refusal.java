package io.beacon.platform.errors;

/**
 * The one way a service says no: what was asked for does not exist, conflicts with the current state,
 * is not valid or is too large. Services throw it and know nothing of HTTP; {@code ProblemMappers}
 * turns it into problem+json (404, 409, 400, 422 or 413) naming the fields when there are any.
 */
public class Refusal extends RuntimeException {

    public enum Kind {
        /** 404 */
        NOT_FOUND,
        /** 409 */
        CONFLICT,
        /** 400: a request value that can never be right */
        INVALID,
        /** 422: well-formed, but not acceptable as it stands */
        UNPROCESSABLE,
        /** 413: more than one request may carry */
        TOO_LARGE
    }

    /** A request field at fault and what is wrong with it. */
    public record Field(String name, String message) {
    }

    private final Kind kind;
    private final java.util.List<Field> fields;

    public Refusal(Kind kind, java.util.List<Field> fields, String message) {
        super(message);
        this.kind = kind;
        this.fields = java.util.List.copyOf(fields);
    }

    public Refusal(Kind kind, String field, String message) {
        this(kind, field == null ? java.util.List.of() : java.util.List.of(new Field(field, message)), message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Kind.NOT_FOUND, java.util.List.of(), message);
    }

    public static Refusal conflict(String message) {
        return new Refusal(Kind.CONFLICT, java.util.List.of(), message);
    }

    /** @param field the request field at fault, or null */
    public static Refusal invalid(String field, String message) {
        return new Refusal(Kind.INVALID, field, message);
    }

    /** A request with several fields at fault. */
    public static Refusal invalid(String message, java.util.List<Field> fields) {
        return new Refusal(Kind.INVALID, fields, message);
    }

    public static Refusal tooLarge(String message) {
        return new Refusal(Kind.TOO_LARGE, java.util.List.of(), message);
    }

    public static Refusal unprocessable(String message) {
        return new Refusal(Kind.UNPROCESSABLE, java.util.List.of(), message);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status this refusal is answered with. */
    public int status() {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case UNPROCESSABLE -> 422;
            case TOO_LARGE -> 413;
        };
    }

    /** The request fields at fault; empty when the refusal is not about a field. */
    public java.util.List<Field> fields() {
        return fields;
    }
}
