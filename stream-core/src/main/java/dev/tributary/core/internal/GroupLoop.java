package dev.tributary.core.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.core.CircuitBreaker;
import dev.tributary.core.GapPolicy;
import dev.tributary.core.Processor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of a group processor: create the group if asked, open a member, read batches of at most
 * {@code maxInFlight} events, hand them over (on lanes when the concurrency is above 1), ack what is
 * done. An ack that keeps failing retryably is given up after {@link #ACK_GIVE_UP}, with a warning;
 * those events come again.
 *
 * <p>With read-ahead, the next batch is read on a thread of its own ({@link ReadAhead}) while the
 * handler runs, of at most what {@code maxInFlight} leaves beside the batch being handled, so events
 * read and not yet acked never exceed {@code maxInFlight}. It reads ahead only while a batch is
 * handled and acked in under a quarter of the ack timeout in its group options, so a batch read ahead reaches its
 * handler well before the broker would deliver it again. A batch read ahead when the loop ends is
 * given back (nacked): the broker delivers it again at once, not after the ack timeout. Without
 * read-ahead the next read starts after the acks.
 */
public final class GroupLoop<T> implements Lifecycle.Body {
    private static final Logger LOG = LoggerFactory.getLogger(GroupLoop.class);

    /**
     * How long an ack is retried before the loop goes on without it. The broker delivers unacked
     * events again, so giving up keeps the at-least-once promise; retrying for ever would stop the
     * processor behind one ack the broker never confirms (a NATS consumer whose new leader has not
     * seen the delivery ignores the ack without an answer).
     */
    static final java.time.Duration ACK_GIVE_UP = java.time.Duration.ofSeconds(15);

    private final Settings<T> s;
    private final String group;
    private final String member;
    private final GroupOptions options;
    private final boolean createGroup;
    private final int concurrency;
    private final int maxInFlight;
    private final boolean readAhead;
    private final CircuitBreaker breaker;
    private Processor processor;

    public GroupLoop(
            Settings<T> settings,
            String group,
            String member,
            GroupOptions options,
            boolean createGroup,
            int concurrency,
            int maxInFlight,
            boolean readAhead,
            CircuitBreaker breaker) {
        this.s = settings;
        this.group = group;
        this.member = member;
        this.options = options;
        this.createGroup = createGroup;
        this.concurrency = concurrency;
        this.maxInFlight = maxInFlight;
        this.readAhead = readAhead;
        this.breaker = breaker;
    }

    public void bind(Processor p) {
        this.processor = p;
    }

    @Override
    public void run(Lifecycle.Run run) {
        LoopRun<T> tools = LoopRun.start(s, processor, breaker, run, group);
        Retrying source = tools.source();
        Dispatcher<T> dispatcher = tools.dispatcher();
        int count = Math.min(
                Math.min(s.batchSize(), maxInFlight), s.client().limits().maxReadCount());

        if (createGroup) {
            create(source);
        }
        GroupConsumer consumer = open(source, run);
        Lanes lanes = concurrency > 1 ? new Lanes(concurrency, run.adopting(s.threadFactory())) : null;
        ReadAhead<List<StreamEvent>> ahead = readAhead ? new ReadAhead<>(run.adopting(s.threadFactory())) : null;
        long aheadWhileBelow = options.ackTimeout().toNanos() / 4;
        long lastBatchNanos = 0;
        long nextLag = s.lagInterval().isZero() ? Long.MAX_VALUE : s.clock().millis();
        LagProbe lagProbe = new LagProbe(s, run);
        try {
            while (!run.stopRequested()) {
                final GroupConsumer c = consumer;
                List<StreamEvent> events;
                try {
                    events = source.call(
                            "poll",
                            () -> ahead == null
                                    ? c.poll(count, s.pollWait())
                                    : ahead.next(() -> c.poll(count, s.pollWait())));
                } catch (StreamException e) {
                    if (e.kind() == ErrorKind.DATA_LOSS) {
                        consumer = onGroupLost(consumer, e, source, run);
                        continue;
                    }
                    if (e.kind() == ErrorKind.CLOSED && run.stopRequested()) {
                        break;
                    }
                    throw e;
                }
                if (!events.isEmpty()) {
                    long began = System.nanoTime();
                    int room = Math.min(count, maxInFlight - events.size());
                    if (ahead != null && room > 0 && lastBatchNanos < aheadWhileBelow && !run.stopRequested()) {
                        ahead.start(() -> c.poll(room, s.pollWait()));
                    }
                    // one thread adds without lanes (the dispatcher reports on the caller's thread)
                    List<EventId> done = lanes == null
                            ? new ArrayList<>(events.size())
                            : Collections.synchronizedList(new ArrayList<>(events.size()));
                    Dispatcher.Result result;
                    try {
                        result = lanes == null
                                ? dispatcher.handle(events, done::add, () -> false)
                                : lanes.handle(dispatcher, events, done::add);
                    } catch (RuntimeException | Error e) {
                        ackQuietly(c, done); // what finished is acked; the rest is redelivered
                        throw e;
                    }
                    List<EventId> ids = done; // every lane has returned: nothing adds to it any more
                    try {
                        source.callWithin("ack", ACK_GIVE_UP, () -> c.ack(ids));
                    } catch (StreamException e) {
                        if (e.kind() == ErrorKind.DATA_LOSS) {
                            if (ahead != null) {
                                ahead.leftOver(aheadBound()); // read from the lost group: dropped
                            }
                            consumer = onGroupLost(consumer, e, source, run); // lost between the poll and the ack
                            continue;
                        }
                        if (!Retrying.retryable(e.kind())) {
                            throw e;
                        }
                        LOG.warn(
                                "processor '{}': gave up acking {} events of group '{}' after {} s of failures ({});"
                                        + " the broker delivers them again",
                                s.name(),
                                ids.size(),
                                group,
                                ACK_GIVE_UP.toSeconds(),
                                e.getMessage());
                    }
                    s.listener()
                            .onBatch(
                                    s.name(),
                                    events.size(),
                                    result.filtered(),
                                    result.deadLettered(),
                                    events.get(events.size() - 1).id());
                    lastBatchNanos = System.nanoTime() - began;
                }
                if (s.clock().millis() >= nextLag) {
                    lagProbe.request(() -> {
                        GroupInfo info = s.client().groupInfo(s.stream(), group);
                        return new LagProbe.Check(info.lag(), info.lastDelivered());
                    });
                    nextLag = s.clock().millis() + s.lagInterval().toMillis();
                }
            }
        } finally {
            run.setWaker(null);
            lagProbe.close();
            if (lanes != null) {
                lanes.close(s.stopTimeout().toMillis());
            }
            if (ahead != null) {
                giveBack(consumer, ahead);
            }
            TailLoop.closeQuietly(consumer);
            if (ahead != null) {
                ahead.close(aheadBound());
            }
        }
    }

    /** How long the end of a run waits for a read ahead: one poll's wait and a second for its answer. */
    private java.time.Duration aheadBound() {
        return s.pollWait().plusSeconds(1);
    }

    /** Nacks a batch read ahead and never handed over, so the broker delivers it again at once. */
    private void giveBack(GroupConsumer c, ReadAhead<List<StreamEvent>> ahead) {
        List<StreamEvent> left = ahead.leftOver(aheadBound()).orElse(List.of());
        if (left.isEmpty()) {
            return;
        }
        List<EventId> ids = new ArrayList<>(left.size());
        for (StreamEvent e : left) {
            ids.add(e.id());
        }
        try {
            c.nack(ids);
        } catch (RuntimeException e) {
            LOG.debug(
                    "processor '{}': giving back {} events read ahead failed ({}); they come again after the ack timeout",
                    s.name(),
                    ids.size(),
                    e.toString());
        }
    }

    private void create(Retrying source) {
        source.run("create-group", () -> {
            s.client().createStream(s.stream());
            s.client().createGroup(s.stream(), group, options);
        });
    }

    private GroupConsumer open(Retrying source, Lifecycle.Run run) {
        GroupConsumer c = source.call("open", () -> s.client().openGroupConsumer(s.stream(), group, member));
        run.setWaker(c::close);
        return c;
    }

    private GroupConsumer onGroupLost(GroupConsumer consumer, StreamException e, Retrying source, Lifecycle.Run run) {
        LOG.warn(
                "processor '{}': the broker lost group '{}' of '{}' ({}); policy {}",
                s.name(),
                group,
                s.stream(),
                e.getMessage(),
                s.gapPolicy());
        s.listener().onGap(s.name(), s.stream(), options.start(), s.gapPolicy());
        if (s.gapPolicy() == GapPolicy.FAIL) {
            throw e;
        }
        run.setWaker(null);
        TailLoop.closeQuietly(consumer);
        create(source);
        GroupConsumer fresh = open(source, run);
        s.listener().onGapSkipped(s.name(), s.stream(), options.start());
        return fresh;
    }

    private void ackQuietly(GroupConsumer c, List<EventId> done) {
        List<EventId> ids;
        synchronized (done) {
            ids = List.copyOf(done);
        }
        if (ids.isEmpty()) {
            return;
        }
        try {
            c.ack(ids);
        } catch (RuntimeException e) {
            LOG.debug(
                    "processor '{}': ack of {} finished events failed while ending: {}",
                    s.name(),
                    ids.size(),
                    e.toString());
        }
    }
}
