package dev.tributary;

/**
 * The outcome of an ack: how many ids were pending and are now acked, and how many were unknown
 * (already acked, never delivered, or foreign). Unknown ids are counted, not an error.
 */
public record AckResult(int acked, int unknown) {
    /** Nothing acked, nothing unknown. */
    public static final AckResult NONE = new AckResult(0, 0);

    /** The sum of this result and {@code o}, for acks made in several calls. */
    public AckResult plus(AckResult o) {
        return new AckResult(acked + o.acked, unknown + o.unknown);
    }
}
