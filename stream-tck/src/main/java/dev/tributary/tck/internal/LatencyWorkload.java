package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.ClientConfig;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.HistoryChecker;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The work of rule F10, done through a slow network: 200 pipelined appends, a batch of 20, 5 appends
 * one at a time, a tail reader, a range, info and (with groups) a member that acks — every outcome
 * checked against the history, every call expected to succeed.
 */
final class LatencyWorkload {
    private static final int PIPELINED = 200;
    private static final int BATCH = 20;
    private static final int SINGLE = 5;
    private static final int TOTAL = PIPELINED + BATCH + SINGLE;

    private final KitContext ctx;
    private final ClientConfig config;
    private final HistoryChecker history;

    LatencyWorkload(KitContext ctx, ClientConfig config, String name) {
        this.ctx = ctx;
        this.config = config;
        this.history = new HistoryChecker(name);
    }

    void run() {
        long t0 = System.nanoTime();
        StreamClient c = ctx.client(config);
        StreamName s = ctx.created(c, "f10");
        boolean groups = c.supports(Capability.CONSUMER_GROUPS);
        String g = Tck.name("g");
        if (groups) {
            KitContext.createGroup(c, s, g, dev.tributary.GroupOptions.defaults());
        }
        StreamReader reader = c.openReader(s, Position.earliest());
        GroupConsumer m = groups ? c.openGroupConsumer(s, g, "m1") : null;
        try {
            List<String> keys = Io.expectedKeys("f10", 0, TOTAL);
            List<CompletableFuture<EventId>> futures = new ArrayList<>();
            for (int i = 0; i < PIPELINED; i++) {
                history.invoked(keys.get(i));
                futures.add(c.appendAsync(s, Io.rec(keys.get(i))));
            }
            for (int i = 0; i < PIPELINED; i++) {
                history.ok(keys.get(i), Io.await(futures.get(i), Tck.scaled(Duration.ofSeconds(60))));
            }
            List<StreamRecord> batch = new ArrayList<>();
            for (int i = PIPELINED; i < PIPELINED + BATCH; i++) {
                history.invoked(keys.get(i));
                batch.add(Io.rec(keys.get(i)));
            }
            List<EventId> ids = c.appendBatch(s, batch);
            for (int i = 0; i < BATCH; i++) {
                history.ok(keys.get(PIPELINED + i), ids.get(i));
            }
            EventId last = null;
            for (int i = PIPELINED + BATCH; i < TOTAL; i++) {
                history.invoked(keys.get(i));
                last = c.append(s, Io.rec(keys.get(i)));
                history.ok(keys.get(i), last);
            }
            List<StreamEvent> read = Io.read(reader, TOTAL, Tck.scaled(Duration.ofSeconds(60)));
            deliver("reader", read);
            assertEquals(keys, Io.keys(read), "the tail reader through the slow network");
            List<StreamEvent> range = c.range(s, Position.earliest(), null, TOTAL + 10);
            assertEquals(keys, Io.keys(range), "range through the slow network");
            StreamInfo info = c.info(s);
            assertEquals(TOTAL, info.length(), "info length through the slow network");
            assertEquals(last, info.lastId().orElse(null), "info last id through the slow network");
            if (m != null) {
                List<StreamEvent> got = Io.poll(m, TOTAL, Tck.scaled(Duration.ofSeconds(60)), true);
                deliver("m1", got);
                assertEquals(keys, Io.keys(got), "the group member through the slow network, each event once");
            }
            assertTrue(c.health().up(), "health through the slow network");
        } finally {
            KitContext.closeQuietly(reader);
            KitContext.closeQuietly(m);
        }
        HistoryChecker.Report r = history.report();
        System.out.println(
                r.summary() + " in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
        assertTrue(
                r.clean(), "every append acknowledged and delivered once, in order, to each consumer: " + r.summary());
    }

    private void deliver(String consumer, List<StreamEvent> events) {
        for (StreamEvent e : events) {
            history.delivered(consumer, Io.keyOf(e), e.id(), e.deliveryCount());
        }
    }
}
