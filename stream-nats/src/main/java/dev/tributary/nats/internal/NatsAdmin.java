package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PurgeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.ReplayPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream and consumer management on the JetStream API: create, delete, info and trim of streams, the
 * ephemeral pull consumers of readers and ranges, and the pull sessions on them. Arguments arrive
 * checked (the client's skeleton validated them); every broker failure is mapped to a kind here.
 */
final class NatsAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(NatsAdmin.class);

    private final NatsSettings settings;
    private final Connection connection;
    private final JetStreamManagement jsm;
    private final NatsNames names;
    private final NatsErrors errors;
    private final Clock clock;
    private final BooleanSupplier clientClosed;

    /** @param clientClosed whether the client closed (ends a trim's read early) */
    NatsAdmin(NatsSettings settings, Connection connection, JetStreamManagement jsm, NatsNames names, NatsErrors errors,
            Clock clock, BooleanSupplier clientClosed) {
        this.settings = settings;
        this.connection = connection;
        this.jsm = jsm;
        this.names = names;
        this.errors = errors;
        this.clock = clock;
        this.clientClosed = clientClosed;
    }

    JetStreamManagement jsm() {
        return jsm;
    }

    // ---------------------------------------------------------------- streams

    void createStream(StreamName stream) {
        String name = names.streamName(stream);
        String subject = names.subject(stream);
        String what = "creating stream '" + stream + "' (JetStream stream " + name + ")";
        try {
            try {
                verifySubject(jsm.getStreamInfo(name).getConfiguration(), name, subject);
                return;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.STREAM_NOT_FOUND) {
                    throw e;
                }
            }
            StreamConfiguration.Builder b = StreamConfiguration.builder().name(name).subjects(subject)
                    .storageType(settings.fileStorage() ? StorageType.File : StorageType.Memory)
                    .retentionPolicy(RetentionPolicy.Limits).discardPolicy(DiscardPolicy.Old)
                    .replicas(settings.replicas()).duplicateWindow(settings.duplicateWindow())
                    .maxMessages(settings.maxMessages()).maxBytes(settings.maxBytes());
            if (!settings.maxAge().isZero()) {
                b.maxAge(settings.maxAge());
            }
            try {
                jsm.addStream(b.build());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.STREAM_NAME_IN_USE) {
                    throw e;
                }
                // created concurrently with another configuration: keep it, as long as it serves our subject
                verifySubject(jsm.getStreamInfo(name).getConfiguration(), name, subject);
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, what, false);
        }
    }

    private static void verifySubject(StreamConfiguration c, String name, String subject) {
        if (!c.getSubjects().contains(subject)) {
            throw new StreamException(ErrorKind.CONFIGURATION, "JetStream stream " + name + " exists but does not "
                    + "capture subject " + subject + " (it captures " + c.getSubjects() + "); delete it or choose "
                    + "another namespace");
        }
    }

    boolean deleteStream(StreamName stream) {
        try {
            return jsm.deleteStream(names.streamName(stream));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return false;
            }
            throw errors.map(e, "deleting stream '" + stream + "'", false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "deleting stream '" + stream + "'", false);
        }
    }

    /** The stream's state, or null when it does not exist. */
    StreamState state(String jsStream) {
        try {
            return jsm.getStreamInfo(jsStream).getStreamState();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return null;
            }
            throw errors.map(e, "reading the state of stream " + jsStream, false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "reading the state of stream " + jsStream, false);
        }
    }

    StreamInfo info(StreamName stream) {
        StreamState s = state(names.streamName(stream));
        if (s == null) {
            return StreamInfo.missing(stream);
        }
        if (s.getMsgCount() == 0) {
            return StreamInfo.empty(stream);
        }
        return StreamInfo.of(stream, s.getMsgCount(), EventId.ofSequence(s.getFirstSequence()),
                s.getFirstTime().toInstant(), EventId.ofSequence(s.getLastSequence()), s.getLastTime().toInstant());
    }

    long trim(StreamName stream, Trim trim) {
        String name = names.streamName(stream);
        try {
            StreamState s = state(name);
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
                return jsm.purgeStream(name, PurgeOptions.builder().keep(t.maxLength()).build()).getPurged();
            }
            if (trim instanceof Trim.Below b) {
                long seq = NatsStreamClient.sequenceOf(b.id(), "trim id");
                if (seq <= s.getFirstSequence()) {
                    return 0;
                }
                return purgeBelow(name, Math.min(seq, s.getLastSequence() + 1));
            }
            Instant cutoff = clock.instant().minus(((Trim.OlderThan) trim).age());
            if (!s.getFirstTime().toInstant().isBefore(cutoff)) {
                return 0;
            }
            return purgeBelow(name, firstSequenceAtOrAfter(name, names.subject(stream), cutoff, s.getLastSequence()));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, "trimming stream '" + stream + "'", false);
        }
    }

    private long purgeBelow(String name, long seq) throws IOException, JetStreamApiException {
        if (seq <= 1) {
            return 0;
        }
        return jsm.purgeStream(name, PurgeOptions.builder().sequence(seq).build()).getPurged();
    }

    /** The first sequence whose timestamp is at or after {@code time}, or {@code last + 1}. */
    private long firstSequenceAtOrAfter(String jsStream, String subject, Instant time, long last)
            throws IOException, JetStreamApiException {
        String consumer = createEphemeral(jsStream, subject, DeliverPolicy.ByStartTime, 0, time);
        try (PullSession session = session(jsStream, consumer, "trim")) {
            List<PullSession.Delivery> d = session.poll(1, Duration.ZERO, clientClosed);
            return d.isEmpty() ? last + 1 : Math.min(d.get(0).streamSequence(), last + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while trimming");
        } finally {
            deleteConsumerQuietly(jsStream, consumer);
        }
    }

    // ---------------------------------------------------------------- consumers

    /** Creates an ephemeral pull consumer (no acks, memory state, removed when idle); returns its name. */
    String createEphemeral(String jsStream, String subject, DeliverPolicy policy, long startSeq, Instant startTime)
            throws IOException, JetStreamApiException {
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                .deliverPolicy(policy).filterSubject(subject).replayPolicy(ReplayPolicy.Instant)
                .inactiveThreshold(settings.readerInactiveThreshold()).memStorage(true).numReplicas(1);
        if (policy == DeliverPolicy.ByStartSequence) {
            b.startSequence(Math.max(1, startSeq));
        } else if (policy == DeliverPolicy.ByStartTime) {
            b.startTime(startTime.atZone(ZoneOffset.UTC));
        }
        return jsm.createConsumer(jsStream, b.build()).getName();
    }

    /** False when the consumer (or its stream) is known not to exist; errors of the check propagate. */
    boolean consumerExists(String jsStream, String consumer) {
        try {
            jsm.getConsumerInfo(jsStream, consumer);
            return true;
        } catch (JetStreamApiException e) {
            int c = e.getApiErrorCode();
            if (c == NatsErrors.CONSUMER_NOT_FOUND || c == NatsErrors.STREAM_NOT_FOUND) {
                return false;
            }
            throw errors.map(e, "looking up consumer " + consumer + " of " + jsStream, false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "looking up consumer " + consumer + " of " + jsStream, false);
        }
    }

    /** A pull session on a consumer of the client's connection. */
    PullSession session(String jsStream, String consumer, String what) {
        return new PullSession(connection, jsStream, consumer, settings.requestTimeout(), what,
                () -> consumerExists(jsStream, consumer));
    }

    /** Deletes a consumer without waiting for the answer (bounded even with a frozen server). */
    void deleteConsumerQuietly(String jsStream, String consumer) {
        try {
            if (connection.getStatus() == Connection.Status.CONNECTED) {
                connection.publish("$JS.API.CONSUMER.DELETE." + jsStream + "." + consumer, null);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not delete consumer {} of {}: {}", consumer, jsStream, errors.redact(e.toString()));
        }
    }
}
