package io.beacon.platform.rest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response.Status;

/**
 * Reads a request body as UTF-8 and refuses it when it is not: a text body taken as a String would
 * otherwise have its broken bytes replaced silently, and the sender would never learn.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** @throws WebApplicationException 400 naming the byte offset of the first invalid sequence */
    public static String decode(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new WebApplicationException(Problem.of(Status.BAD_REQUEST, "The body is not valid UTF-8: the "
                    + "byte at offset " + in.position() + " does not start a UTF-8 character. Send text encoded as UTF-8.")
                    .toResponse());
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
