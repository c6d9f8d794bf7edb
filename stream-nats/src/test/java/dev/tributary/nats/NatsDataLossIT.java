package dev.tributary.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.BrokerControl;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Data loss is always reported: a reader or group member whose JetStream stream was deleted and
 * created again by another application fails {@code DATA_LOSS} on its next poll instead of carrying on
 * into the new stream; a server restart that keeps its store is no data loss; a group deleted on an
 * intact stream stays {@code NOT_FOUND}. (A server that lost its store is kit rule F7 in NatsTckIT.)
 */
class NatsDataLossIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static StreamClient client() {
        ClientConfig c = NatsFixture.shared().config().toBuilder()
                .requestTimeout(Duration.ofSeconds(3))
                .build();
        return StreamClients.open(c);
    }

    private static StreamName fresh(StreamClient c, String what) {
        return NatsFixture.createFresh(c, what);
    }

    private static List<EventId> append(StreamClient c, StreamName s, String prefix, int n) {
        List<EventId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(c.append(s, StreamRecord.of(prefix + i)));
        }
        return ids;
    }

    private static List<StreamEvent> take(BiFunction<Integer, Duration, List<StreamEvent>> poll, int n) {
        List<StreamEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(poll.apply(n - out.size(), Duration.ofMillis(500)));
        }
        return out;
    }

    /** Polls until DATA_LOSS; RETRYABLE is fine meanwhile, delivering any event is not. */
    private static StreamException expectDataLoss(String who, BiFunction<Integer, Duration, List<StreamEvent>> poll) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                List<StreamEvent> got = poll.apply(100, Duration.ofMillis(300));
                assertEquals(
                        List.of(),
                        got.stream().map(StreamEvent::payloadAsString).toList(),
                        who + " delivered events of the new stream");
            } catch (StreamException e) {
                if (e.kind() == ErrorKind.DATA_LOSS) {
                    return e;
                }
                assertEquals(ErrorKind.RETRYABLE, e.kind(), who + ": " + e.getMessage());
            }
        }
        throw new AssertionError(who + " never reported DATA_LOSS");
    }

    private static Connection plainJnats() throws Exception {
        return NatsFixture.shared().plainJnats();
    }

    @Test
    void aStreamDeletedAndCreatedAgainUnderAReaderAndAMemberIsDataLoss() throws Exception {
        try (StreamClient c = client();
                Connection nats = plainJnats()) {
            StreamName s = fresh(c, "recreated");
            append(c, s, "old", 10);
            StreamReader reader = c.openReader(s, Position.earliest());
            assertEquals(10, take(reader::poll, 10).size());
            StreamReader latest = c.openReader(s, Position.latest()); // a resolved cursor, nothing read yet
            assertEquals(0, latest.poll(10, Duration.ofMillis(200)).size());
            c.createGroup(s, "g", GroupOptions.defaults());
            GroupConsumer member = c.openGroupConsumer(s, "g", "m1");
            List<StreamEvent> half = take(member::poll, 5);
            assertEquals(5, half.size());
            member.ack(half.stream().map(StreamEvent::id).toList());

            // another application deletes the stream and creates it again with the same configuration
            JetStreamManagement jsm = nats.jetStreamManagement();
            String name = "tributary_" + s.value();
            StreamConfiguration cfg = jsm.getStreamInfo(name).getConfiguration();
            jsm.deleteStream(name);
            jsm.addStream(cfg);
            for (int i = 0; i < 12; i++) {
                nats.jetStream().publish("tributary." + s.value(), ("new" + i).getBytes(StandardCharsets.UTF_8));
            }

            StreamException r = expectDataLoss("reader", reader::poll);
            assertTrue(r.getMessage().contains("deleted and created again"), r.getMessage());
            assertEquals(
                    ErrorKind.DATA_LOSS,
                    assertThrows(StreamException.class, () -> reader.poll(10, Duration.ofMillis(100)))
                            .kind(),
                    "DATA_LOSS stays");
            expectDataLoss("reader at latest", latest::poll);
            StreamException m = expectDataLoss("member", member::poll);
            assertTrue(m.getMessage().contains("deleted and created again"), m.getMessage());
            assertEquals(
                    ErrorKind.DATA_LOSS,
                    assertThrows(StreamException.class, () -> member.poll(10, Duration.ofMillis(100)))
                            .kind(),
                    "DATA_LOSS stays");
            reader.close();
            latest.close();
            member.close();

            // a reader opened now reads the new stream from its start
            try (StreamReader fresh = c.openReader(s, Position.earliest())) {
                assertEquals("new0", take(fresh::poll, 12).get(0).payloadAsString());
            }
        }
    }

    @Test
    void aStreamAndGroupBothCreatedAgainBetweenTwoPollsIsDataLoss() throws Exception {
        try (StreamClient c = client();
                Connection nats = plainJnats()) {
            StreamName s = fresh(c, "bothagain");
            append(c, s, "old", 6);
            c.createGroup(s, "g", GroupOptions.defaults());
            try (GroupConsumer member = c.openGroupConsumer(s, "g", "m1")) {
                List<StreamEvent> got = take(member::poll, 6);
                member.ack(got.stream().map(StreamEvent::id).toList());
                JetStreamManagement jsm = nats.jetStreamManagement();
                String name = "tributary_" + s.value();
                StreamConfiguration cfg = jsm.getStreamInfo(name).getConfiguration();
                var group = jsm.getConsumerInfo(name, "g").getConsumerConfiguration();
                jsm.deleteStream(name);
                jsm.addStream(cfg);
                jsm.addOrUpdateConsumer(name, group);
                for (int i = 0; i < 3; i++) {
                    nats.jetStream().publish("tributary." + s.value(), ("new" + i).getBytes(StandardCharsets.UTF_8));
                }
                StreamException e = expectDataLoss("member", member::poll);
                assertTrue(e.getMessage().contains("deleted and created again"), e.getMessage());
            }
        }
    }

    @Test
    void aGroupDeletedOnAnIntactStreamStaysNotFound() {
        try (StreamClient c = client()) {
            StreamName s = fresh(c, "groupgone");
            append(c, s, "e", 3);
            c.createGroup(s, "g", GroupOptions.defaults());
            try (GroupConsumer member = c.openGroupConsumer(s, "g", "m1")) {
                assertEquals(3, take(member::poll, 3).size());
                c.deleteGroup(s, "g");
                StreamException e = assertThrows(StreamException.class, () -> take(member::poll, 1));
                assertEquals(ErrorKind.NOT_FOUND, e.kind(), e.getMessage());
            }
        }
    }

    @Test
    void aServerRestartThatKeepsItsStoreIsNoDataLoss() {
        BrokerControl ctl = NatsFixture.shared().control().orElse(null);
        Assumptions.assumeTrue(ctl != null, "needs a server this test can kill and start");
        try (StreamClient c = client()) {
            StreamName s = fresh(c, "restart");
            List<EventId> before = append(c, s, "a", 5);
            c.createGroup(s, "g", GroupOptions.defaults());
            try (StreamReader reader = c.openReader(s, Position.earliest());
                    GroupConsumer member = c.openGroupConsumer(s, "g", "m1")) {
                assertEquals(
                        before,
                        take(reader::poll, 5).stream().map(StreamEvent::id).toList());
                List<StreamEvent> got = take(member::poll, 5);
                member.ack(got.stream().map(StreamEvent::id).toList());
                ctl.kill();
                ctl.start();
                List<EventId> after = new ArrayList<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (after.size() < 3 && System.nanoTime() < deadline) {
                    try {
                        after.add(c.append(s, StreamRecord.of("b" + after.size())));
                    } catch (StreamException e) {
                        assertTrue(
                                e.kind() == ErrorKind.RETRYABLE || e.kind() == ErrorKind.INDETERMINATE, e.toString());
                    }
                }
                // an append that ended INDETERMINATE may be stored too: every acknowledged one must come
                List<EventId> read = takeRetrying(reader::poll, after);
                assertTrue(read.containsAll(after), "reader read " + read + ", acknowledged " + after);
                List<EventId> delivered = takeRetrying(member::poll, after);
                assertTrue(delivered.containsAll(after), "member got " + delivered + ", acknowledged " + after);
            }
        }
    }

    /** Polls until every id of {@code want} came, riding out RETRYABLE while the server comes back. */
    private static List<EventId> takeRetrying(
            BiFunction<Integer, Duration, List<StreamEvent>> poll, List<EventId> want) {
        List<EventId> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!out.containsAll(want) && System.nanoTime() < deadline) {
            try {
                poll.apply(100, Duration.ofMillis(500)).forEach(e -> out.add(e.id()));
            } catch (StreamException e) {
                assertEquals(ErrorKind.RETRYABLE, e.kind(), e.getMessage());
            }
        }
        return out;
    }
}
