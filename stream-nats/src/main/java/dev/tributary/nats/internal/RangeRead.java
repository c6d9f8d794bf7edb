package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code range} call: resolves the bounds against the stream state, reads them through a
 * short-lived ephemeral pull consumer with {@code no_wait} requests, and deletes the consumer before
 * returning — no consumer is left behind per request (an idle one would also be removed by the
 * server after {@code readerInactiveThreshold}).
 */
final class RangeRead {
    private final NatsStreamClient client;
    private final StreamName stream;
    private final NatsTarget target;

    RangeRead(NatsStreamClient client, StreamName stream) {
        this(client, stream, client.names().target(stream));
    }

    /** A range of one JetStream stream: the stream's own, or one partition of a partitioned stream. */
    RangeRead(NatsStreamClient client, StreamName stream, NatsTarget target) {
        this.client = client;
        this.stream = stream;
        this.target = target;
    }

    List<StreamEvent> read(Position from, long to, int max) {
        String js = target.stream();
        io.nats.client.api.StreamInfo si = client.admin().streamInfo(js, "range of '" + stream + "'");
        if (si == null || from instanceof Position.Latest) {
            return List.of();
        }
        StreamState s = si.getStreamState();
        // sequences are dense unless the stream captures more than the filter (see NatsReader)
        boolean dense = target.dense(si.getConfiguration().getSubjects());
        long first = s.getFirstSequence();
        long last = s.getLastSequence();
        long start = 0;
        long expected = 0; // the sequence that must come first, when known
        if (from instanceof Position.After a) {
            start = NatsStreamClient.sequenceOf(a.id(), "range start") + 1;
            if (start < first && start <= last) {
                throw new StreamException(
                        ErrorKind.DATA_LOSS,
                        "range of '" + stream + "' from " + from
                                + ": events " + start + " to " + (first - 1) + " were trimmed; the oldest retained is "
                                + first
                                + ". Restart from earliest if that is acceptable");
            }
            if (start - 1 > last) {
                throw new StreamException(
                        ErrorKind.DATA_LOSS,
                        "range of '" + stream + "' from " + from
                                + ": the stream's last sequence is " + last + ", so sequence " + (start - 1)
                                + " is not of this "
                                + "stream — it was deleted and created again, or the server lost its data");
            }
            expected = start;
        }
        ReadStart readStart = ReadStart.of(start, from);
        if (readStart.policy() == DeliverPolicy.All) {
            start = first;
        }
        if (s.getMsgCount() == 0) {
            return List.of();
        }
        long end = Math.min(to, last);
        int count = max;
        if (readStart.policy() != DeliverPolicy.ByStartTime) {
            if (start > end) {
                return List.of();
            }
            count = (int) Math.min(max, end - Math.max(start, first) + 1);
        }
        String what = "range of '" + stream + "'";
        String consumer = readStart.createConsumer(client, js, target.filter(), what);
        if (consumer == null) {
            return List.of(); // the stream was deleted meanwhile
        }
        List<StreamEvent> out = new ArrayList<>(Math.min(count, 1024));
        try (PullSession session = client.admin().session(js, consumer, "NATS client")) {
            outer:
            while (out.size() < count) {
                List<PullSession.Delivery> batch = session.poll(count - out.size(), Duration.ZERO, client::closed);
                if (batch.isEmpty()) {
                    break;
                }
                long head = -1; // the stream's first sequence, fetched once per batch when a jump needs it
                for (PullSession.Delivery d : batch) {
                    long seq = d.streamSequence();
                    if (seq > end) {
                        break outer;
                    }
                    if (expected > 0 && seq > expected) {
                        if (!dense && head < 0) {
                            head = firstSequence(js);
                        }
                        if (dense || expected < head) {
                            throw new StreamException(
                                    ErrorKind.DATA_LOSS,
                                    what + ": events " + expected + " to "
                                            + ((dense ? seq : Math.min(seq, head)) - 1) + " were trimmed while reading"
                                            + (dense ? "" : " (some may have been of other subjects)"));
                        }
                    }
                    if (expected > 0 && seq < expected) {
                        continue;
                    }
                    out.add(NatsStreamClient.toEvent(stream, target, d, 1));
                    expected = seq + 1;
                    if (out.size() == count) {
                        break outer;
                    }
                }
            }
        } catch (PullSession.ConsumerGone e) {
            if (client.admin().state(js) == null) {
                return List.of();
            }
            throw new StreamException(
                    ErrorKind.RETRYABLE, what + ": the read consumer vanished (" + e.getMessage() + "); retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, what + " was interrupted", e);
        } catch (StreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw client.errors().map(e, what, false);
        } finally {
            client.admin().deleteConsumerQuietly(js, consumer);
        }
        return out;
    }

    /** The stream's first sequence now (0 when it is gone). */
    private long firstSequence(String js) {
        StreamState now = client.admin().state(js);
        return now == null ? 0 : now.getFirstSequence();
    }
}
