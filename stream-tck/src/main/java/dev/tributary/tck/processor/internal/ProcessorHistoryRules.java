package dev.tributary.tck.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.Handler;
import dev.tributary.core.Message;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorState;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.Expect;
import dev.tributary.tck.internal.Io;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rule C9: processors judged against the same history as the client rules. Four producers append
 * keyed events (the partition key is the producer) while a tail processor with a checkpoint store
 * (stopped once and restarted from its checkpoint) and, where groups are declared, a group
 * processor on 4 lanes handle them. Then: every acknowledged event was handled at least once by
 * each, a producer's events were first handled in append order (one key, so one lane), no event was
 * handled under another id than its append returned, and no checkpoint was ever saved ahead of an
 * event the handler had not returned from.
 */
public final class ProcessorHistoryRules {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 100;

    private final ProcessorKit kit;

    /** The rule bodies over {@code kit}. */
    public ProcessorHistoryRules(ProcessorKit kit) {
        this.kit = kit;
    }

    /** C9. */
    public void c9() throws Exception {
        StreamClient client = kit.client();
        StreamName s = kit.created(client, "c9");
        boolean groups = client.supports(Capability.CONSUMER_GROUPS);
        HistoryChecker tailHistory = new HistoryChecker("C9 tail processor");
        HistoryChecker groupHistory = new HistoryChecker("C9 group processor");
        Set<EventId> tailHandled = ConcurrentHashMap.newKeySet();
        CheckpointJournal journal = new CheckpointJournal(tailHandled);
        String tailName = Tck.name("c9-tail");
        String group = Tck.name("c9-group");
        Handler<String> tail = m -> {
            tailHistory.delivered("tail", key(m), m.id(), m.deliveryCount());
            tailHandled.add(m.id());
        };
        List<Processor> running = new ArrayList<>();
        Processor first = kit.track(kit.processors().tail(client, s, tailName, journal, tail));
        running.add(first);
        if (groups) {
            running.add(kit.track(kit.processors()
                    .group(
                            client,
                            s,
                            group,
                            GroupOptions.defaults(),
                            4,
                            m -> groupHistory.delivered("group", key(m), m.id(), m.deliveryCount()))));
        }
        running.forEach(Processor::start);

        AtomicReference<Throwable> producerError = new AtomicReference<>();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            String producer = "p" + p;
            Thread t = new Thread(
                    () -> produce(client, s, producer, List.of(tailHistory, groupHistory), producerError),
                    "tck-c9-" + producer);
            t.setDaemon(true);
            producers.add(t);
            t.start();
        }
        // restart the tail processor from its checkpoint while the producers still write
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)),
                () -> "the tail processor handled its first events (" + tailHandled.size() + ", " + first.state() + " "
                        + first.failure().orElse(null) + ")",
                () -> tailHandled.size() >= PER_PRODUCER || first.state() == ProcessorState.FAILED);
        assertTrue(first.stop(Tck.scaled(Duration.ofSeconds(10))), "the tail processor stopped within its bound");
        assertNotEquals(ProcessorState.FAILED, first.state(), "the tail processor ran cleanly: " + first.failure());
        Processor second = kit.track(kit.processors().tail(client, s, tailName, journal, tail));
        running.set(0, second);
        second.start();
        for (Thread t : producers) {
            t.join(Tck.scaled(Duration.ofSeconds(60)).toMillis());
            assertTrue(!t.isAlive(), t.getName() + " finished");
        }
        if (producerError.get() != null) {
            fail("a producer failed: " + producerError.get());
        }
        // wait until nothing is missing, a processor failed, or nothing was handled for a (scaled) 20 s: the
        // judgement below then names what is missing
        Quiet quiet = new Quiet(Tck.scaled(Duration.ofSeconds(20))); // a Kafka group may take seconds to join
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(60)),
                () -> "every acknowledged event handled; "
                        + tailHistory.report().summary()
                        + (groups ? " " + groupHistory.report().summary() : "")
                        + "; processors " + running,
                () -> running.stream().anyMatch(p -> p.state() == ProcessorState.FAILED)
                        || tailHistory.report().lost().isEmpty()
                                && (!groups || groupHistory.report().lost().isEmpty())
                        || quiet.settled(tailHistory.report().deliveries()
                                + groupHistory.report().deliveries()));
        if (groups) {
            Expect.eventually(
                    Tck.scaled(Duration.ofSeconds(30)),
                    () -> "the group processor acked what it handled " + "(pending "
                            + client.groupInfo(s, group).pending() + ")",
                    () -> client.groupInfo(s, group).pending() == 0
                            || running.get(1).state() == ProcessorState.FAILED);
        }
        for (Processor p : running) {
            assertTrue(p.stop(Tck.scaled(Duration.ofSeconds(10))), p + " stopped within its bound");
            assertEquals(
                    ProcessorState.STOPPED,
                    p.state(),
                    p + " ran cleanly: " + p.failure().orElse(null));
        }
        HistoryChecker.Report t = judge(
                "tail processor",
                tailHistory,
                "the reader skips ids on poll or resumes inclusive of / beyond the wrong id "
                        + "(rules A2, P3 first), or the processor checkpoints past events it never handed to its handler",
                "the reader returns one producer's events out of stream order (A8 first) or the tail loop reorders "
                        + "a batch");
        assertTrue(t.ok() > 0, "the producers stored events: " + t.summary());
        checkCheckpoints(client, s, tailName, journal);
        if (groups) {
            judge(
                    "group processor",
                    groupHistory,
                    "the group's start position (C10, G11), acks sent for events the handler "
                            + "never returned from, or a member's pending events never redelivered (G5)",
                    "events of one key split over lanes or handled out of order within a lane (stream-core's lanes), "
                            + "or the group delivering a key's events out of stream order on first delivery (A8, G1)");
        }
    }

    /** Prints the report of {@code history} and checks it: nothing lost, nothing reordered; returns the report. */
    private static HistoryChecker.Report judge(
            String who, HistoryChecker history, String lostCause, String reorderCause) {
        HistoryChecker.Report r = history.report();
        System.out.println("[C9] " + r.summary());
        assertTrue(
                r.lost().isEmpty(),
                "the " + who + " never handled " + r.lost().size() + " acknowledged events; " + "likely cause: "
                        + lostCause + ". " + r.summary());
        assertTrue(
                r.reordered().isEmpty(),
                "the " + who + " first handled a key's events out of append order; " + "likely cause: " + reorderCause
                        + ". " + r.summary());
        assertTrue(
                r.mismatched().isEmpty(),
                "the " + who + " handled events under other ids than their appends "
                        + "returned; likely cause: the backend completes an append with another event's id (A12). "
                        + r.summary());
        assertTrue(
                r.unexpected().isEmpty(),
                "the " + who + " handled events never appended or whose append failed; "
                        + "likely cause: an append reported failed although stored (E, F rules first). " + r.summary());
        return r;
    }

    /** No checkpoint ahead of what was handled, and the last one at the stream's last event. */
    private static void checkCheckpoints(
            StreamClient client, StreamName s, String tailName, CheckpointJournal journal) {
        List<StreamEvent> stream = Io.readAvailable(client, s, Position.earliest());
        Map<EventId, Integer> index = new HashMap<>();
        for (int i = 0; i < stream.size(); i++) {
            index.put(stream.get(i).id(), i);
        }
        List<CheckpointJournal.Save> saves = journal.saves();
        assertTrue(!saves.isEmpty(), "the tail processor saved checkpoints to its store");
        List<String> ahead = new ArrayList<>();
        for (CheckpointJournal.Save save : saves) {
            Integer at = index.get(save.checkpoint());
            if (at == null) {
                ahead.add(save.checkpoint() + " is no event of the stream");
                continue;
            }
            for (int i = 0; i <= at; i++) {
                EventId id = stream.get(i).id();
                if (!save.handled().contains(id)) {
                    ahead.add("checkpoint " + save.checkpoint() + " saved before " + id + " (" + Io.keyOf(stream.get(i))
                            + ") was handled");
                    break;
                }
            }
        }
        assertTrue(
                ahead.isEmpty(),
                "the tail processor saved " + ahead.size() + " of " + saves.size() + " checkpoints "
                        + "ahead of what its handler had returned from; likely cause: the processor saves the checkpoint "
                        + "before the batch is handled (the processor, not the backend): "
                        + ahead.subList(0, Math.min(5, ahead.size())));
        Optional<EventId> last = stream.isEmpty()
                ? Optional.empty()
                : Optional.of(stream.get(stream.size() - 1).id());
        assertEquals(last, journal.load(tailName), "the final checkpoint is the stream's last event");
    }

    /** True once a count has not changed for a given time. */
    private static final class Quiet {
        private final long quietNanos;
        private long last = -1;
        private long since = System.nanoTime();

        Quiet(Duration quiet) {
            this.quietNanos = quiet.toNanos();
        }

        boolean settled(long count) {
            long now = System.nanoTime();
            if (count != last) {
                last = count;
                since = now;
                return false;
            }
            return now - since >= quietNanos;
        }
    }

    private static String key(Message<String> m) {
        return m.headers().first(Io.KEY_HEADER).orElse("?" + m.id());
    }

    /** One producer: {@value #PER_PRODUCER} appends partitioned by {@code producer}, each recorded in every history. */
    private static void produce(
            StreamClient client,
            StreamName s,
            String producer,
            List<HistoryChecker> histories,
            AtomicReference<Throwable> error) {
        try {
            for (int i = 0; i < PER_PRODUCER; i++) {
                String key = producer + "/" + i;
                histories.forEach(h -> h.invoked(key));
                try {
                    EventId id = client.append(s, Io.rec(key, producer));
                    histories.forEach(h -> h.ok(key, id));
                } catch (StreamException e) {
                    if (e.kind() == ErrorKind.INDETERMINATE) {
                        histories.forEach(h -> h.indeterminate(key, e));
                    } else {
                        histories.forEach(h -> h.failed(key, e));
                    }
                }
                if (i % 10 == 9) {
                    Thread.sleep(5);
                }
            }
        } catch (Throwable e) {
            error.compareAndSet(null, e);
        }
    }
}
