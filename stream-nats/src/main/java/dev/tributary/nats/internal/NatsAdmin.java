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
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream and consumer management on the JetStream API: create, delete, info and trim ({@link NatsTrim}) of streams, the
 * ephemeral pull consumers of readers and ranges, and the pull sessions on them. Arguments arrive
 * checked (the client's skeleton validated them); every broker failure is mapped to a kind here.
 * Streams adopted with {@code jetstream.<name>} options ({@link NatsTarget#adopted()}) are never
 * created, changed, trimmed or deleted here: {@code createStream} only checks them.
 */
final class NatsAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(NatsAdmin.class);

    private final NatsSettings settings;
    private final Connection connection;
    private final JetStreamManagement jsm;
    /** The same API with {@link #PROBE_TIMEOUT} at most: checks a poll makes on its way. */
    private final JetStreamManagement probeJsm;

    private final NatsNames names;
    private final NatsErrors errors;
    private final Clock clock;
    private final BooleanSupplier clientClosed;

    /**
     * The longest a poll (or an ack) waits for the answer to one of its checks (the stream's info after a
     * reconnect, whether its consumer still exists). Right after a cluster restarts, the JetStream API takes requests
     * and answers none until the servers agree on a leader; a poll that waited the full request timeout
     * there would notice the cluster back that much later. A check that times out fails the poll
     * {@code RETRYABLE}, and the next poll asks again.
     */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    /**
     * @param probeJsm the API with a timeout of at most {@link #PROBE_TIMEOUT}
     * @param clientClosed whether the client closed (ends a trim's read early)
     */
    NatsAdmin(
            NatsSettings settings,
            Connection connection,
            JetStreamManagement jsm,
            JetStreamManagement probeJsm,
            NatsNames names,
            NatsErrors errors,
            Clock clock,
            BooleanSupplier clientClosed) {
        this.settings = settings;
        this.connection = connection;
        this.jsm = jsm;
        this.probeJsm = probeJsm;
        this.names = names;
        this.errors = errors;
        this.clock = clock;
        this.clientClosed = clientClosed;
    }

    JetStreamManagement jsm() {
        return jsm;
    }

    NatsErrors errors() {
        return errors;
    }

    NatsNames names() {
        return names;
    }

    // ---------------------------------------------------------------- streams

    void createStream(StreamName stream) {
        NatsTarget t = names.target(stream);
        if (t.adopted()) {
            verifyAdopted(stream, t);
            return;
        }
        createStream(stream, t, null);
    }

    /**
     * Creates Tributary's own JetStream stream {@code t} unless it exists; answers its configuration
     * (the existing one, or the one created).
     *
     * @param description the stream's description (a partition's records its partition count), or null
     */
    StreamConfiguration createStream(StreamName stream, NatsTarget t, String description) {
        String name = t.stream();
        String subject = t.append();
        String what = "creating stream '" + stream + "' (JetStream stream " + name + ")";
        try {
            try {
                StreamConfiguration existing = jsm.getStreamInfo(name).getConfiguration();
                verifySubject(existing, name, subject);
                return existing;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.STREAM_NOT_FOUND) {
                    throw e;
                }
            }
            StreamConfiguration.Builder b = StreamConfiguration.builder()
                    .name(name)
                    .subjects(subject)
                    .storageType(settings.fileStorage() ? StorageType.File : StorageType.Memory)
                    .retentionPolicy(RetentionPolicy.Limits)
                    .discardPolicy(DiscardPolicy.Old)
                    .replicas(settings.replicas())
                    .duplicateWindow(settings.duplicateWindow())
                    .maxMessages(settings.maxMessages())
                    .maxBytes(settings.maxBytes());
            if (!settings.maxAge().isZero()) {
                b.maxAge(settings.maxAge());
            }
            if (description != null) {
                b.description(description);
            }
            try {
                return jsm.addStream(b.build()).getConfiguration();
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsErrors.STREAM_NAME_IN_USE) {
                    throw e;
                }
                // created concurrently with another configuration: keep it, as long as it serves our subject
                StreamConfiguration existing = jsm.getStreamInfo(name).getConfiguration();
                verifySubject(existing, name, subject);
                return existing;
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            throw errors.map(e, what, false);
        }
    }

    private static void verifySubject(StreamConfiguration c, String name, String subject) {
        if (!c.getSubjects().contains(subject)) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "JetStream stream " + name + " exists but does not "
                            + "capture subject " + subject + " (it captures " + c.getSubjects()
                            + "); delete it or choose "
                            + "another namespace");
        }
    }

    /** createStream of an adopted stream changes nothing: {@link NatsAdoption#verify} checks it. */
    private void verifyAdopted(StreamName stream, NatsTarget t) {
        String what = "creating stream '" + stream + "' (" + t.describe() + ")";
        NatsAdoption.verify(what, t, streamInfo(t.stream(), what));
    }

    boolean deleteStream(StreamName stream) {
        NatsTarget t = names.target(stream);
        if (t.adopted()) {
            throw new StreamException(
                    ErrorKind.UNSUPPORTED,
                    "deleting stream '" + stream + "' refused: it is "
                            + t.describe() + ", which another application owns; delete it with the nats tool "
                            + "(nats stream rm " + t.stream() + ") if you mean to");
        }
        return deleteStream(stream, t);
    }

    /** Deletes Tributary's own JetStream stream {@code t}; false when it did not exist. */
    boolean deleteStream(StreamName stream, NatsTarget t) {
        try {
            return jsm.deleteStream(t.stream());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return false;
            }
            throw errors.map(e, "deleting stream '" + stream + "'", false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "deleting stream '" + stream + "'", false);
        }
    }

    /** The stream's info (configuration, state, creation time), or null when it does not exist. */
    io.nats.client.api.StreamInfo streamInfo(String jsStream, String what) {
        return streamInfo(jsm, jsStream, what);
    }

    /** {@link #streamInfo} for a check on a poll's way, answered within {@link #PROBE_TIMEOUT}. */
    io.nats.client.api.StreamInfo probeStreamInfo(String jsStream, String what) {
        return streamInfo(probeJsm, jsStream, what);
    }

    private io.nats.client.api.StreamInfo streamInfo(JetStreamManagement api, String jsStream, String what) {
        try {
            return api.getStreamInfo(jsStream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NOT_FOUND) {
                return null;
            }
            throw errors.map(e, what, false);
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, what, false);
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

    /**
     * The stream's figures. When the stream captures more than the target's filter (an adopted stream
     * with a filter, or a Tributary stream whose subjects another application widened), they are the
     * filter's: what a reader of the stream reads ({@link FilteredInfo}).
     */
    StreamInfo info(StreamName stream) {
        return info(stream, names.target(stream));
    }

    /** The figures of JetStream stream {@code t} (a partition's: plain ids), as {@link #info(StreamName)}. */
    StreamInfo info(StreamName stream, NatsTarget t) {
        io.nats.client.api.StreamInfo si = streamInfo(t.stream(), "reading the state of stream " + t.stream());
        if (si == null) {
            return StreamInfo.missing(stream);
        }
        if (!t.dense(si.getConfiguration().getSubjects())) {
            return new FilteredInfo(this, stream, t).read();
        }
        StreamState s = si.getStreamState();
        if (s.getMsgCount() == 0) {
            return StreamInfo.empty(stream);
        }
        return StreamInfo.of(
                stream,
                s.getMsgCount(),
                EventId.ofSequence(s.getFirstSequence()),
                s.getFirstTime().toInstant(),
                EventId.ofSequence(s.getLastSequence()),
                s.getLastTime().toInstant());
    }

    long trim(StreamName stream, Trim trim) {
        return trim(stream, names.target(stream), trim);
    }

    /** Trims JetStream stream {@code target} (the stream's own, or one partition); answers how many went. */
    long trim(StreamName stream, NatsTarget target, Trim trim) {
        return new NatsTrim(this, clock, clientClosed).trim(stream, target, trim);
    }

    // ---------------------------------------------------------------- consumers

    /**
     * Creates an ephemeral pull consumer (no acks, memory state, removed when idle) on the messages of
     * {@code subject} (a filter; null = every message); returns its name.
     */
    String createEphemeral(String jsStream, String subject, DeliverPolicy policy, long startSeq, Instant startTime)
            throws IOException, JetStreamApiException {
        return createEphemeralInfo(jsStream, subject, policy, startSeq, startTime)
                .getName();
    }

    /** {@link #createEphemeral}, answering the consumer's info (its pending count). */
    io.nats.client.api.ConsumerInfo createEphemeralInfo(
            String jsStream, String subject, DeliverPolicy policy, long startSeq, Instant startTime)
            throws IOException, JetStreamApiException {
        ConsumerConfiguration.Builder b = ConsumerConfiguration.builder()
                .ackPolicy(AckPolicy.None)
                .deliverPolicy(policy)
                .replayPolicy(ReplayPolicy.Instant)
                .inactiveThreshold(settings.readerInactiveThreshold())
                .memStorage(true)
                .numReplicas(1);
        if (policy == DeliverPolicy.ByStartSequence) {
            b.startSequence(Math.max(1, startSeq));
        } else if (policy == DeliverPolicy.ByStartTime) {
            b.startTime(startTime.atZone(ZoneOffset.UTC));
        }
        if (subject != null) {
            b.filterSubject(subject);
        }
        return jsm.createConsumer(jsStream, b.build());
    }

    /**
     * False when the consumer (or its stream) is known not to exist; errors of the check propagate. A
     * probe (polls and acks ask it on their way): answered within {@link #PROBE_TIMEOUT}.
     */
    boolean consumerExists(String jsStream, String consumer) {
        try {
            probeJsm.getConsumerInfo(jsStream, consumer);
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
        return new PullSession(
                connection,
                jsStream,
                consumer,
                settings.requestTimeout(),
                what,
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
