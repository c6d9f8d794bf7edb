package dev.tributary.micrometer.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The {@link ErrorKind} behind a failure, for the {@code kind} tag. */
public final class Kinds {
    private Kinds() {}

    /** The kind of the {@link StreamException} behind {@code t}; {@code INTERNAL} for anything else. */
    public static ErrorKind of(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur instanceof StreamException se ? se.kind() : ErrorKind.INTERNAL;
    }
}
