package dev.tributary.core;

/**
 * The life of a processor: {@code NEW → RUNNING → STOPPING → STOPPED}, or {@code FAILED} with its
 * cause ({@link Processor#failure()}). A processor that is {@code STOPPED} or {@code FAILED} may be
 * started again; it then resumes from its checkpoint (tail) or its group (group).
 */
public enum ProcessorState {
    /** Built, never started. */
    NEW,
    /** Its loop runs. */
    RUNNING,
    /** A stop was requested; the loop finishes its current batch and ends. */
    STOPPING,
    /** The loop ended after a stop. */
    STOPPED,
    /** The loop ended because of an error no retry can help with; see {@link Processor#failure()}. */
    FAILED;

    /** True for {@link #STOPPED} and {@link #FAILED}: no loop runs and none is ending. */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
