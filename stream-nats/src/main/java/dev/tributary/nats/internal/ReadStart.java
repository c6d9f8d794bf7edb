package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamException;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Instant;

/**
 * Where an ephemeral consumer of a reader or a range read starts: at a known sequence, at a time, or
 * at the first message.
 *
 * @param policy   {@code ByStartSequence}, {@code ByStartTime} or {@code All}
 * @param sequence the first sequence for {@code ByStartSequence}, else 0
 * @param time     the start time for {@code ByStartTime}, else null
 */
record ReadStart(DeliverPolicy policy, long sequence, Instant time) {

    /** From sequence {@code next} when it is known (above 0), else from where {@code start} says. */
    static ReadStart of(long next, Position start) {
        if (next > 0) {
            return new ReadStart(DeliverPolicy.ByStartSequence, next, null);
        }
        if (start instanceof Position.AtTime t) {
            return new ReadStart(DeliverPolicy.ByStartTime, 0, t.time());
        }
        return new ReadStart(DeliverPolicy.All, 0, null);
    }

    /**
     * Creates the ephemeral consumer reading {@code filter} of {@code jsStream} from here; null when
     * the stream does not exist. Other failures are mapped and thrown, described by {@code what}.
     */
    String createConsumer(NatsStreamClient client, String jsStream, String filter, String what) {
        try {
            return client.admin().createEphemeral(jsStream, filter, policy, sequence, time);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            StreamException se = client.errors().map(e, what, false);
            if (se.kind() == ErrorKind.NOT_FOUND) {
                return null;
            }
            throw se;
        }
    }
}
