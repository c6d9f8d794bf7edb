package dev.tributary.nats.internal;

import java.time.Instant;

/**
 * Tells a reader or group member whether the JetStream stream it reads is still the one it read
 * before — not deleted and created again by someone else, not restarted by a server that lost its
 * store. Two signals, both robust:
 *
 * <ul>
 *   <li>the stream's creation time (kept by the server in the stream's metadata, unchanged by
 *       restarts and leader changes) differs from the one seen first;</li>
 *   <li>the stream's last sequence is below the highest sequence the cursor saw (a stream's last
 *       sequence never goes back, not even when it is purged).</li>
 * </ul>
 * The owner checks when it (re)creates its consumer, when a poll finds its consumer gone and on its
 * first poll after the connection reconnected ({@link #reconnected}, {@link #checked}) — not on every poll. Used by one
 * thread at a time; no I/O here.
 */
final class StreamWatch {
    private Instant created;
    private long reconnects = -1;

    /**
     * Checks the stream's current state against what was seen.
     *
     * @param createdNow   the stream's creation time now (null if the server does not say)
     * @param lastSequence the stream's last sequence now
     * @param cursor       the highest sequence the owner saw in the stream (0 = none)
     * @param tied         whether the owner's position belongs to this stream's life even without a
     *                     sequence seen (a group's consumer, a cursor resolved from the stream); when
     *                     false and nothing was seen, a recreated stream is simply taken as the stream
     * @return null when nothing was lost, else why data was lost
     */
    String check(Instant createdNow, long lastSequence, long cursor, boolean tied) {
        if (createdNow != null && created != null && !created.equals(createdNow)) {
            if (cursor > 0 || tied) {
                return "the JetStream stream was deleted and created again (the one read was created " + created
                        + ", the one there now " + createdNow + "): every event of the old one is gone";
            }
        }
        if (createdNow != null) {
            created = createdNow;
        }
        if (cursor > lastSequence) {
            return "the JetStream stream's last sequence " + lastSequence + " is below sequence " + cursor
                    + ", which was read from it or given as a position in it: the server lost stored events "
                    + "(restarted without its store?) or the stream was deleted and created again";
        }
        return null;
    }

    /** The creation time seen, or null. */
    Instant created() {
        return created;
    }

    /**
     * True when the connection reconnected since the count last given to {@link #checked}: the stream
     * needs a check. Stays true until the check succeeded (a check that fails retryable is repeated).
     */
    boolean reconnected(long reconnectsNow) {
        return reconnects >= 0 && reconnectsNow != reconnects;
    }

    /** Records that the stream was checked (or needs none) at this reconnect count. */
    void checked(long reconnectsNow) {
        reconnects = reconnectsNow;
    }
}
