package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code info} of a stream read through a filter narrower than the stream (an adopted stream with a
 * filter, or a Tributary stream whose subjects were widened): the figures of what a reader reads.
 * nats-server 2.9 has no filtered stream state, so two short-lived ephemeral consumers answer: one
 * from the start, whose pending count is the length and whose first message is the first event, and
 * one {@code DeliverPolicy.Last}, whose message is the last event. Both are deleted before returning.
 * The figures come from two moments a few milliseconds apart, like any info of a stream being written.
 */
record FilteredInfo(NatsAdmin admin, StreamName stream, NatsTarget target) {

    StreamInfo read() {
        String what = "info of '" + stream + "' (" + target.describe() + ")";
        try {
            ConsumerInfo all = admin.createEphemeralInfo(target.stream(), target.filter(), DeliverPolicy.All, 0, null);
            PullSession.Delivery first;
            try {
                if (all.getNumPending() == 0) {
                    return StreamInfo.empty(stream);
                }
                first = one(all.getName(), what);
            } finally {
                admin.deleteConsumerQuietly(target.stream(), all.getName());
            }
            String lastConsumer = admin.createEphemeral(target.stream(), target.filter(), DeliverPolicy.Last, 0, null);
            PullSession.Delivery last;
            try {
                last = one(lastConsumer, what);
            } finally {
                admin.deleteConsumerQuietly(target.stream(), lastConsumer);
            }
            if (first == null || last == null) {
                return StreamInfo.empty(stream); // purged meanwhile
            }
            return StreamInfo.of(
                    stream,
                    all.getNumPending(),
                    EventId.ofSequence(first.streamSequence()),
                    first.timestamp(),
                    EventId.ofSequence(last.streamSequence()),
                    last.timestamp());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return StreamInfo.missing(stream);
            }
            throw admin.errors().map(e, what, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, what + " was interrupted", e);
        } catch (IOException | RuntimeException e) {
            throw e instanceof StreamException se ? se : admin.errors().map(e, what, false);
        }
    }

    private PullSession.Delivery one(String consumer, String what) throws InterruptedException {
        try (PullSession session = admin.session(target.stream(), consumer, what)) {
            List<PullSession.Delivery> d = session.poll(1, Duration.ZERO, () -> false);
            return d.isEmpty() ? null : d.get(0);
        }
    }
}
