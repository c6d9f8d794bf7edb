package dev.tributary.nats.internal;

import dev.tributary.AckResult;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractGroupConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One member of a group: a pull subscription on the group's durable consumer (explicit ack,
 * {@code AckWait} = the group's ack timeout). NATS does not know members by name; the member name is
 * only used in messages.
 *
 * <p>Acks need the delivery's ack subject, so the member keeps a map from sequence to ack subject of
 * the events it delivered and that are not acked yet, bounded by the group's {@code maxAckPending}
 * (the server never has more unacked events out). An ack of an id that is not in the map (acked
 * already, never delivered to this member, foreign) is counted as unknown. Acks are sent without
 * waiting, except the last of each call which waits for the server's confirmation, so that the group's
 * figures reflect every ack once {@link #ack} returns.
 *
 * <p>Data loss: the member remembers the stream's creation time from when it opened. When a poll finds
 * the group's consumer gone, on the first poll after a reconnect, and when a first delivery comes at or
 * below a sequence it already received (the consumer started over), it checks the stream
 * ({@link StreamWatch}): a stream deleted and created again by someone else, or one whose last sequence
 * fell below what the member received (a server restarted without its store), fails {@code DATA_LOSS}
 * from then on; a group deleted on an intact stream (or a deleted stream) fails {@code NOT_FOUND}.
 *
 * <p>The skeleton checks arguments and the closed flag; a poll blocked at close notices within one
 * pull slice and ends {@code CLOSED}.
 */
final class NatsGroupConsumer extends AbstractGroupConsumer {
    private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAK = "-NAK".getBytes(StandardCharsets.US_ASCII);

    private final NatsStreamClient client;
    private final StreamName stream;
    private final String group;
    private final String member;
    private final NatsTarget target;
    private final String jsStream;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final StreamWatch watch = new StreamWatch();
    /** The highest sequence delivered to this member; 0 = none. */
    private long observed;

    private StreamException lost;
    /** A stream check that failed transiently, to run before the next pull. */
    private boolean recheck;

    private final Map<Long, String> unacked;
    private PullSession session;

    NatsGroupConsumer(NatsStreamClient client, StreamName stream, String group, String member) {
        this(client, stream, client.names().target(stream), group, member);
    }

    /** A member on one JetStream stream: the stream's own, or one partition of a partitioned stream. */
    NatsGroupConsumer(NatsStreamClient client, StreamName stream, NatsTarget target, String group, String member) {
        super(stream, group, member, client.limits());
        this.client = client;
        this.stream = stream;
        this.group = group;
        this.member = member;
        this.target = target;
        this.jsStream = target.stream();
        watch.checked(client.connection().getStatistics().getReconnects());
        io.nats.client.api.StreamInfo si =
                client.admin().streamInfo(jsStream, "opening " + describeMember(member, group, stream));
        if (si != null) {
            watch.check(NatsReader.created(si), si.getStreamState().getLastSequence(), 0, true);
        }
        final long bound = client.settings().maxAckPending();
        this.unacked = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
                return size() > bound;
            }
        };
        this.session = client.admin().session(jsStream, group, describe());
    }

    private String describe() {
        return describeMember(member, group, stream);
    }

    private static String describeMember(String member, String group, StreamName stream) {
        return "member '" + member + "' of group '" + group + "' on '" + stream + "'";
    }

    /**
     * Fails {@code DATA_LOSS} (and keeps failing) when the stream is not the one the member read, or is
     * gone after a reconnect once the member had read from it (a server that lost its store); true when
     * the stream exists and is that one, false when it does not exist.
     */
    private boolean verifyStream() {
        io.nats.client.api.StreamInfo si =
                client.admin().probeStreamInfo(jsStream, "checking the stream of " + describe());
        String loss;
        if (si == null) {
            if (observed == 0
                    || !watch.reconnected(client.connection().getStatistics().getReconnects())) {
                return false; // deleted while this member was connected: NOT_FOUND, as deleteStream documents
            }
            loss = "the JetStream stream is gone after the connection to the server was lost, with sequence "
                    + observed + " already read: the server restarted without its store (or the stream was deleted "
                    + "while the connection was down)";
        } else {
            loss = watch.check(NatsReader.created(si), si.getStreamState().getLastSequence(), observed, true);
        }
        if (loss != null) {
            lost = new StreamException(
                    ErrorKind.DATA_LOSS,
                    describe() + ": " + loss + "; the group's position and "
                            + "unacked events went with it: create the group again to read the stream as it is now");
            dropSession();
            throw new StreamException(ErrorKind.DATA_LOSS, lost.getMessage());
        }
        return true;
    }

    /**
     * True when a first delivery is at or below a sequence this member already received. A durable
     * consumer hands out first deliveries in stream order, so that happens only when the consumer
     * started over: the stream and the group were created again under it (checked then), or the
     * server lost the consumer's delivery counts (a restart; the check finds the stream intact).
     */
    private boolean rewound(List<PullSession.Delivery> batch) {
        for (PullSession.Delivery d : batch) {
            if (d.deliveryCount() == 1 && d.streamSequence() <= observed) {
                return true;
            }
        }
        return false;
    }

    /**
     * The check of a rewound batch. The batch is already out of the server (its events count as
     * delivered), so only {@code DATA_LOSS} may stop it: when the check itself fails (the server
     * answers nothing for a moment), the batch is handed out and the check runs first thing at the
     * next poll, so that a transient failure never costs redeliveries out of order.
     */
    private void checkRewound() {
        try {
            verifyStream();
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.DATA_LOSS) {
                throw e;
            }
            recheck = true;
        }
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        polling.set(true);
        try {
            if (lost != null) {
                throw new StreamException(ErrorKind.DATA_LOSS, lost.getMessage());
            }
            PullSession s = session;
            if (s == null) {
                return List.of(); // closed meanwhile: the skeleton ends the poll CLOSED
            }
            long reconnects = client.connection().getStatistics().getReconnects();
            if (recheck || watch.reconnected(reconnects)) {
                verifyStream(); // the first poll after a reconnect: did the server keep the stream?
                recheck = false;
            }
            watch.checked(reconnects);
            List<PullSession.Delivery> batch = s.poll(maxCount, wait, this::isClosed);
            if (rewound(batch)) {
                checkRewound(); // DATA_LOSS before any event of a recreated stream is handed out
            }
            List<StreamEvent> out = new ArrayList<>(batch.size());
            synchronized (unacked) {
                for (PullSession.Delivery d : batch) {
                    unacked.put(d.streamSequence(), d.ackSubject());
                }
            }
            for (PullSession.Delivery d : batch) {
                observed = Math.max(observed, d.streamSequence());
                out.add(NatsStreamClient.toEvent(
                        stream, target, d, (int) Math.min(Integer.MAX_VALUE, d.deliveryCount())));
            }
            return out;
        } catch (PullSession.ConsumerGone e) {
            throw groupGone(describe() + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "poll of " + describe() + " was interrupted", e);
        } catch (StreamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw client.errors().map(e, "poll of " + describe(), false);
        } finally {
            polling.set(false);
            if (isClosed()) {
                dropSession();
            }
        }
    }

    /**
     * The group's durable consumer is gone: {@code DATA_LOSS} (thrown by the stream check) when the
     * stream was created again or lost events, else {@code NOT_FOUND} — the group was deleted, or the
     * stream with it.
     */
    private StreamException groupGone(String what) {
        boolean streamThere = verifyStream();
        return new StreamException(
                ErrorKind.NOT_FOUND, what + ": the " + (streamThere ? "group" : "stream") + " no longer exists");
    }

    @Override
    protected AckResult doAck(List<EventId> ids) {
        List<String> subjects = new ArrayList<>(ids.size());
        Map<Long, String> taken = new LinkedHashMap<>();
        int unknown = 0;
        synchronized (unacked) {
            for (EventId id : ids) {
                String s = id.isPair() ? null : unacked.remove(id.sequence());
                if (s == null) {
                    unknown++;
                } else {
                    subjects.add(s);
                    taken.put(id.sequence(), s);
                }
            }
        }
        try {
            for (int i = 0; i < subjects.size(); i++) {
                if (i < subjects.size() - 1) {
                    client.connection().publish(subjects.get(i), ACK);
                } else {
                    // the server answers an ack that has a reply subject once it processed it (and every
                    // earlier ack of this connection to the consumer)
                    var reply = client.connection()
                            .request(subjects.get(i), ACK, client.settings().requestTimeout());
                    if (reply == null && !client.admin().consumerExists(jsStream, group)) {
                        // jnats answers a request nobody listens to with null at once (no responders)
                        throw groupGone("ack of " + describe());
                    }
                    if (reply == null) {
                        throw new StreamException(
                                ErrorKind.RETRYABLE,
                                "ack of " + describe() + " got no confirmation " + "within "
                                        + client.settings().requestTimeout() + "; the events may be redelivered");
                    }
                    if (reply.isStatusMessage() && reply.getStatus().getCode() == 503) {
                        // no responders: the group is gone, or (in a cluster) it has no leader for a moment
                        if (!client.admin().consumerExists(jsStream, group)) {
                            throw groupGone("ack of " + describe());
                        }
                        throw new StreamException(
                                ErrorKind.RETRYABLE,
                                "ack of " + describe() + " found no server "
                                        + "leading the group (a leader election in the cluster); the events may be redelivered");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            restore(taken);
            throw new StreamException(ErrorKind.RETRYABLE, "ack of " + describe() + " was interrupted", e);
        } catch (StreamException e) {
            restore(taken);
            throw e;
        } catch (RuntimeException e) {
            restore(taken);
            throw client.errors().map(e, "ack of " + describe(), false);
        }
        return new AckResult(subjects.size(), unknown);
    }

    @Override
    protected void doNack(List<EventId> ids) {
        List<String> subjects = new ArrayList<>(ids.size());
        Map<Long, String> taken = new LinkedHashMap<>();
        synchronized (unacked) {
            for (EventId id : ids) {
                String s = id.isPair() ? null : unacked.remove(id.sequence());
                if (s != null) {
                    subjects.add(s);
                    taken.put(id.sequence(), s);
                }
            }
        }
        try {
            for (String s : subjects) {
                client.connection().publish(s, NAK);
            }
            client.connection().flush(client.settings().requestTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            restore(taken);
            throw new StreamException(ErrorKind.RETRYABLE, "nack of " + describe() + " was interrupted", e);
        } catch (Exception e) {
            restore(taken);
            throw client.errors().map(e, "nack of " + describe(), false);
        }
    }

    /** Puts back ack subjects whose ack may not have reached the server, so that a retry sends them. */
    private void restore(Map<Long, String> taken) {
        if (taken.isEmpty() || isClosed()) {
            return;
        }
        synchronized (unacked) {
            unacked.putAll(taken);
        }
    }

    private synchronized void dropSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    protected void doClose() {
        synchronized (unacked) {
            unacked.clear();
        }
        if (!polling.get()) {
            dropSession();
        }
    }
}
