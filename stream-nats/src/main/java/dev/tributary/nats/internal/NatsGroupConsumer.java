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
    private final String jsStream;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final Map<Long, String> unacked;
    private PullSession session;

    NatsGroupConsumer(NatsStreamClient client, StreamName stream, String group, String member) {
        super(stream, group, member, client.limits());
        this.client = client;
        this.stream = stream;
        this.group = group;
        this.member = member;
        this.jsStream = client.names().streamName(stream);
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
        return "member '" + member + "' of group '" + group + "' on '" + stream + "'";
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        polling.set(true);
        try {
            PullSession s = session;
            if (s == null) {
                return List.of(); // closed meanwhile: the skeleton ends the poll CLOSED
            }
            List<PullSession.Delivery> batch = s.poll(maxCount, wait, this::isClosed);
            List<StreamEvent> out = new ArrayList<>(batch.size());
            synchronized (unacked) {
                for (PullSession.Delivery d : batch) {
                    unacked.put(d.streamSequence(), d.ackSubject());
                }
            }
            for (PullSession.Delivery d : batch) {
                out.add(NatsStreamClient.toEvent(stream, d, (int) Math.min(Integer.MAX_VALUE, d.deliveryCount())));
            }
            return out;
        } catch (PullSession.ConsumerGone e) {
            throw new StreamException(ErrorKind.NOT_FOUND, describe() + ": the group or its stream no longer exists ("
                    + e.getMessage() + ")");
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
                    var reply = client.connection().request(subjects.get(i), ACK, client.settings().requestTimeout());
                    if (reply == null && !client.admin().consumerExists(jsStream, group)) {
                        // jnats answers a request nobody listens to with null at once (no responders)
                        throw new StreamException(ErrorKind.NOT_FOUND, "ack of " + describe() + ": the group no "
                                + "longer exists");
                    }
                    if (reply == null) {
                        throw new StreamException(ErrorKind.RETRYABLE, "ack of " + describe() + " got no confirmation "
                                + "within " + client.settings().requestTimeout() + "; the events may be redelivered");
                    }
                    if (reply.isStatusMessage() && reply.getStatus().getCode() == 503) {
                        // no responders: the group is gone, or (in a cluster) it has no leader for a moment
                        if (!client.admin().consumerExists(jsStream, group)) {
                            throw new StreamException(ErrorKind.NOT_FOUND, "ack of " + describe() + ": the group no "
                                    + "longer exists");
                        }
                        throw new StreamException(ErrorKind.RETRYABLE, "ack of " + describe() + " found no server "
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
