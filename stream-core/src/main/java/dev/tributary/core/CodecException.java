package dev.tributary.core;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;

/**
 * A value could not be encoded, or a payload could not be decoded. Its kind is
 * {@link ErrorKind#INVALID_ARGUMENT}: the bytes or the value are wrong, and no retry helps.
 * Processors dead-letter an event whose payload throws this at once.
 */
public class CodecException extends StreamException {
    private static final long serialVersionUID = 1L;

    /** A payload that could not be encoded or decoded, caused by {@code cause}. */
    public CodecException(String message, Throwable cause) {
        super(ErrorKind.INVALID_ARGUMENT, message, cause);
    }

    /** A payload that could not be encoded or decoded. */
    public CodecException(String message) {
        this(message, null);
    }
}
