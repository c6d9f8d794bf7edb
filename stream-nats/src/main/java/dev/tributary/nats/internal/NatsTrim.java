package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import io.nats.client.JetStreamApiException;
import io.nats.client.PurgeOptions;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One trim of a JetStream stream Tributary owns, by purge: to a length (purge keeping the newest),
 * below an id (purge up to its sequence), or older than an age (the first sequence at or after the
 * cut-off, found with an ephemeral consumer that starts at that time). Adopted streams are refused:
 * another application sets their limits.
 */
final class NatsTrim {
    private final NatsAdmin admin;
    private final Clock clock;
    private final BooleanSupplier clientClosed;

    NatsTrim(NatsAdmin admin, Clock clock, BooleanSupplier clientClosed) {
        this.admin = admin;
        this.clock = clock;
        this.clientClosed = clientClosed;
    }

    /** Trims JetStream stream {@code target} (the stream's own, or one partition); answers how many went. */
    long trim(StreamName stream, NatsTarget target, Trim trim) {
        if (target.adopted()) {
            throw new StreamException(
                    ErrorKind.UNSUPPORTED,
                    "trimming stream '" + stream + "' refused: it is "
                            + target.describe()
                            + ", which another application owns; set its limits (max age, max messages) "
                            + "with the nats tool instead");
        }
        String name = target.stream();
        try {
            StreamState s = admin.state(name);
            if (s == null || s.getMsgCount() == 0) {
                return 0;
            }
            if (trim instanceof Trim.ToLength t) {
                if (t.maxLength() >= s.getMsgCount()) {
                    return 0;
                }
                if (t.maxLength() == 0) {
                    return purgeBelow(name, s.getLastSequence() + 1);
                }
                return admin.jsm()
                        .purgeStream(
                                name, PurgeOptions.builder().keep(t.maxLength()).build())
                        .getPurged();
            }
            if (trim instanceof Trim.Below b) {
                long seq = NatsStreamClient.sequenceOf(b.id().local(), "trim id");
                if (seq <= s.getFirstSequence()) {
                    return 0;
                }
                return purgeBelow(name, Math.min(seq, s.getLastSequence() + 1));
            }
            Instant cutoff = clock.instant().minus(((Trim.OlderThan) trim).age());
            if (!s.getFirstTime().toInstant().isBefore(cutoff)) {
                return 0;
            }
            return purgeBelow(name, firstSequenceAtOrAfter(name, target.filter(), cutoff, s.getLastSequence()));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw admin.errors().map(e, "trimming stream '" + stream + "'", false);
        }
    }

    private long purgeBelow(String name, long seq) throws IOException, JetStreamApiException {
        if (seq <= 1) {
            return 0;
        }
        return admin.jsm()
                .purgeStream(name, PurgeOptions.builder().sequence(seq).build())
                .getPurged();
    }

    /** The first sequence whose timestamp is at or after {@code time}, or {@code last + 1}. */
    private long firstSequenceAtOrAfter(String jsStream, String subject, Instant time, long last)
            throws IOException, JetStreamApiException {
        String consumer = admin.createEphemeral(jsStream, subject, DeliverPolicy.ByStartTime, 0, time);
        try (PullSession session = admin.session(jsStream, consumer, "trim")) {
            List<PullSession.Delivery> d = session.poll(1, Duration.ZERO, clientClosed);
            return d.isEmpty() ? last + 1 : Math.min(d.get(0).streamSequence(), last + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while trimming");
        } finally {
            admin.deleteConsumerQuietly(jsStream, consumer);
        }
    }
}
