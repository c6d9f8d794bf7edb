package dev.tributary.core;

/**
 * What a processor does when it finds a gap: its checkpoint (or a tail's start position) lies
 * below the stream's retained head, so events it never read were trimmed away (the read failed with
 * {@link dev.tributary.ErrorKind#DATA_LOSS}). Either way the listener hears
 * {@link ProcessorListener#onGap} first; a gap is never skipped silently.
 */
public enum GapPolicy {
    /** The processor becomes {@code FAILED} with the {@code DATA_LOSS} error as its cause. */
    FAIL,
    /** The processor reopens its reader at the earliest retained event, reports that, and goes on. */
    CONTINUE_FROM_EARLIEST
}
