package dev.tributary.tck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.tck.BrokerControl;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Rule F7: the broker loses its data ({@link BrokerControl#wipe()}: killed, store deleted, started
 * empty), the stream is created again and written to. A reader and a group member that had read
 * the old stream must not carry on into the new one as if nothing happened: each fails
 * {@code DATA_LOSS} on its first poll that reaches the broker again (after any number of
 * {@code RETRYABLE} failures while it comes back), and delivers none of the new stream's events
 * before that (events of the old stream it had fetched before the wipe may still be delivered).
 * What holds no state of the old stream fails alike when given an id of it: a {@code range} and a
 * reader opened after that id (a tail processor restarting from its checkpoint) — the new stream
 * is shorter than the old one, so every backend can tell the id is not of the stream it now holds.
 */
public final class DataLossRules {
    private static final int OLD = 10;
    private static final int NEW = 3;

    private final KitContext ctx;

    public DataLossRules(KitContext ctx) {
        this.ctx = ctx;
    }

    public void f7() {
        BrokerControl ctl = ctx.fixture().control().orElse(null);
        Assumptions.assumeTrue(ctl != null, "F7 needs a fixture with broker control that can wipe its data");
        StreamClient c = ctx.client();
        StreamName s = ctx.created(c, "f7");
        Io.append(c, s, "old", OLD);
        StreamReader reader = c.openReader(s, Position.earliest());
        List<StreamEvent> old = Io.read(reader, OLD, Tck.scaled(Duration.ofSeconds(10)));
        assertEquals(OLD, old.size(), "the reader read the old stream");
        EventId checkpoint = old.get(OLD / 2).id();
        GroupConsumer member = null;
        if (c.supports(Capability.CONSUMER_GROUPS)) {
            String g = Tck.name("g");
            KitContext.createGroup(c, s, g, GroupOptions.defaults());
            member = c.openGroupConsumer(s, g, "m1");
            assertEquals(
                    OLD / 2,
                    Io.poll(member, OLD / 2, Tck.scaled(Duration.ofSeconds(10)), true)
                            .size(),
                    "the member received and acked half of the old stream");
        }
        try {
            ctl.wipe();
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("F7 skipped: " + e.getMessage());
        }
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(90)).toNanos();
        retrying(deadline, "create the stream again after the wipe", () -> c.createStream(s));
        for (int i = 0; i < NEW; i++) {
            String key = "new/" + i;
            retrying(deadline, "append " + key + " after the wipe", () -> c.append(s, Io.rec(key)));
        }
        expectDataLoss("reader", deadline, reader::poll);
        if (member != null) {
            GroupConsumer m = member;
            expectDataLoss("group member", deadline, m::poll);
        }
        expectDataLoss(
                "range after an id of the old stream",
                deadline,
                (max, wait) -> c.range(s, Position.after(checkpoint), null, max));
        try (StreamReader restarted = c.openReader(s, Position.after(checkpoint))) {
            expectDataLoss("reader opened after an id of the old stream", deadline, restarted::poll);
        } catch (StreamException e) {
            if (e.kind() != ErrorKind.DATA_LOSS) {
                throw e; // reporting it at open is as good as at the first poll
            }
        }
        reader.close();
        if (member != null) {
            member.close();
        }
    }

    /** A poll of a reader or group member. */
    private interface Poll {
        List<StreamEvent> poll(int maxCount, Duration wait);
    }

    private static void expectDataLoss(String who, long deadline, Poll poll) {
        List<String> delivered = new ArrayList<>();
        StreamException last = null;
        while (System.nanoTime() < deadline) {
            try {
                for (StreamEvent e : poll.poll(100, Duration.ofMillis(200))) {
                    delivered.add(Io.keyOf(e));
                }
                if (delivered.stream().anyMatch(k -> k.startsWith("new/"))) {
                    throw new AssertionError("the " + who + " delivered events of the new stream without reporting "
                            + "DATA_LOSS: " + delivered);
                }
            } catch (StreamException e) {
                if (e.kind() == ErrorKind.DATA_LOSS) {
                    // old events it had fetched before the wipe may still come; none of the new stream may
                    assertEquals(
                            List.of(),
                            delivered.stream().filter(k -> k.startsWith("new/")).toList(),
                            "the " + who + " delivered events of the new stream before reporting DATA_LOSS: "
                                    + e.getMessage());
                    return;
                }
                if (!FaultRules.READ_DOWN.contains(e.kind())) {
                    throw new AssertionError(
                            "the " + who + " failed " + e.kind() + " after the broker lost its data; "
                                    + "expected DATA_LOSS: " + e.getMessage(),
                            e);
                }
                last = e;
            }
        }
        throw new AssertionError("the " + who
                + " never reported DATA_LOSS after the broker lost the stream it had read " + "(it delivered "
                + (delivered.isEmpty() ? "nothing" : delivered) + "; last error: " + last + ")");
    }

    /** Runs {@code call} until it succeeds, retrying the kinds a broker coming back may answer with. */
    public static void retrying(long deadline, String what, Runnable call) {
        StreamException last = null;
        while (System.nanoTime() < deadline) {
            try {
                call.run();
                return;
            } catch (StreamException e) {
                if (!FaultRules.APPEND_DOWN.contains(e.kind())) {
                    throw new AssertionError(what + " failed " + e.kind() + ": " + e.getMessage(), e);
                }
                last = e;
                Tck.sleep(Duration.ofMillis(100));
            }
        }
        throw new AssertionError(what + ": the broker did not take it within the bound; last error: " + last);
    }
}
