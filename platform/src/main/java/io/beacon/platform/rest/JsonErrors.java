package io.beacon.platform.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** Turns Jackson's failures into the field and reason a caller can act on. */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** @return the offending field ("" when the JSON itself is broken) and a readable reason */
    public static Problem.FieldError fieldError(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            String reason = e instanceof ValueInstantiationException && e.getCause() != null
                    ? e.getCause().getMessage()
                    : e.getOriginalMessage();
            return new Problem.FieldError(field, reason + where(e, " (at ", ")"));
        }
        return new Problem.FieldError("", "The body is not valid JSON" + where(e, " at ", "") + ": " + e.getOriginalMessage());
    }

    private static String where(JsonProcessingException e, String before, String after) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? ""
                : before + "line " + at.getLineNr() + ", column " + at.getColumnNr() + after;
    }
}
