package dev.tributary.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adopting JetStream streams that other applications own ({@code jetstream.<name>} options), read back
 * exactly as the module README says; and a Tributary stream whose subjects another application widened
 * gives no false {@code DATA_LOSS}. The other application is plain jnats.
 */
class NatsAdoptionIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Connection nats;
    private static JetStreamManagement jsm;
    private static JetStream js;

    @BeforeAll
    static void open() throws Exception {
        nats = NatsFixture.shared().plainJnats();
        jsm = nats.jetStreamManagement();
        js = nats.jetStream();
    }

    @AfterAll
    static void close() throws Exception {
        if (nats != null) {
            nats.close();
        }
    }

    private static String run() {
        return Long.toString(System.nanoTime(), 36);
    }

    private static StreamClient client(String... options) {
        ClientConfig.Builder b = NatsFixture.shared().config().toBuilder();
        for (int i = 0; i < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        return StreamClients.open(b.build());
    }

    private static PublishAck publish(String subject, Headers h, byte[] data) throws Exception {
        return js.publish(new NatsMessage(subject, null, h, data));
    }

    private static List<StreamEvent> readAll(StreamReader r, int n) {
        List<StreamEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(r.poll(n - out.size(), Duration.ofMillis(500)));
        }
        return out;
    }

    /** What the other application wrote, in order: subject, headers, payload, sequence. */
    private record Written(String subject, Headers headers, byte[] data, long seq) {}

    private static List<Written> writeOrders(String prefix) throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        List<Written> out = new ArrayList<>();
        Headers h1 = new Headers()
                .add("X-Trace", "abc-123")
                .add("X-Tag", "first", "second")
                .add("Colons", "a:b:c");
        Headers h2 = new Headers().add("Content-Type", "application/octet-stream");
        Headers h3 = new Headers().add("Nats-Msg-Id", "order-3").add("x-lower", "x y  z");
        Object[][] msgs = {
            {prefix + ".created", h1, "{\"id\":1}".getBytes(StandardCharsets.UTF_8)},
            {prefix + ".updated", h2, binary},
            {prefix + ".created", null, new byte[0]},
            {prefix + ".updated", h3, "{\"id\":1,\"v\":2}".getBytes(StandardCharsets.UTF_8)},
            {prefix + ".eu.shipped", null, new byte[] {0, (byte) 0xff, 10, 13}}
        };
        for (Object[] m : msgs) {
            PublishAck ack = publish((String) m[0], (Headers) m[1], (byte[]) m[2]);
            out.add(new Written((String) m[0], (Headers) m[1], (byte[]) m[2], ack.getSeqno()));
        }
        return out;
    }

    private static void assertRead(Written w, StreamEvent e, boolean subjectHeader) {
        assertEquals(EventId.ofSequence(w.seq()), e.id());
        assertArrayEquals(w.data(), e.payload(), "payload of " + w.seq());
        if (subjectHeader) {
            assertEquals(List.of(w.subject()), e.headers().all("Tributary-Subject"), "subject of " + w.seq());
        } else {
            assertTrue(e.headers().all("Tributary-Subject").isEmpty());
        }
        if (w.headers() != null) {
            for (String k : w.headers().keySet()) {
                if (!k.startsWith("Nats-")) {
                    assertEquals(w.headers().get(k), e.headers().all(k), "header " + k + " of " + w.seq());
                }
            }
        }
        assertTrue(e.headers().all("Nats-Msg-Id").isEmpty(), "server headers are not returned");
    }

    @Test
    void anExistingStreamIsReadRangedGroupedAndCountedThroughItsFilter() throws Exception {
        String run = run();
        String stream = "ORDERS_" + run;
        String prefix = "orders_" + run;
        StreamConfiguration config = StreamConfiguration.builder()
                .name(stream)
                .subjects(prefix + ".>")
                .storageType(StorageType.File)
                .maxAge(Duration.ofHours(1))
                .build();
        jsm.addStream(config);
        List<Written> written = writeOrders(prefix);
        // as a URI option would be written: jetstream.orders=ORDERS_x:orders_x.%3E:orders_x.created
        try (StreamClient c = client("jetstream.orders", stream + ":" + prefix + ".>:" + prefix + ".created")) {
            StreamName orders = StreamName.of("orders");
            c.createStream(orders); // checks, changes nothing
            StreamConfiguration after = jsm.getStreamInfo(stream).getConfiguration();
            assertEquals(List.of(prefix + ".>"), after.getSubjects());
            assertEquals(Duration.ofHours(1), after.getMaxAge());

            StreamInfo info = c.info(orders);
            assertTrue(info.exists());
            assertEquals(5, info.length(), "the filter covers the whole stream");
            assertEquals(
                    EventId.ofSequence(written.get(0).seq()), info.firstId().orElseThrow());

            try (StreamReader r = c.openReader(orders, Position.earliest())) {
                List<StreamEvent> got = readAll(r, 5);
                assertEquals(5, got.size());
                for (int i = 0; i < 5; i++) {
                    assertRead(written.get(i), got.get(i), true);
                }
            }
            List<StreamEvent> range = c.range(
                    orders, Position.after(EventId.ofSequence(written.get(1).seq())), null, 10);
            assertEquals(3, range.size());
            assertRead(written.get(2), range.get(0), true);

            c.createGroup(orders, "billing", GroupOptions.defaults());
            assertEquals(
                    prefix + ".>",
                    jsm.getConsumerInfo(stream, "billing")
                            .getConsumerConfiguration()
                            .getFilterSubject(),
                    "the group is a durable consumer with the adoption's filter");
            try (GroupConsumer m = c.openGroupConsumer(orders, "billing", "m1")) {
                List<StreamEvent> got = new ArrayList<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (got.size() < 5 && System.nanoTime() < deadline) {
                    got.addAll(m.poll(10, Duration.ofMillis(500)));
                }
                assertEquals(5, got.size());
                assertRead(written.get(3), got.get(3), true);
                assertEquals(
                        5, m.ack(got.stream().map(StreamEvent::id).toList()).acked());
            }
            assertEquals(0, c.groupInfo(orders, "billing").pending());

            // appends go to the append subject, where the other application sees them
            EventId id = c.append(orders, StreamRecord.of("from tributary"));
            assertEquals(
                    prefix + ".created", jsm.getMessage(stream, id.sequence()).getSubject());

            // Tributary does not own the stream: no delete, no trim, and the stream stays as it was
            StreamException del = assertThrows(StreamException.class, () -> c.deleteStream(orders));
            assertEquals(ErrorKind.UNSUPPORTED, del.kind());
            assertTrue(del.getMessage().contains("nats stream rm " + stream), del.getMessage());
            assertEquals(
                    ErrorKind.UNSUPPORTED,
                    assertThrows(StreamException.class, () -> c.trim(orders, Trim.toLength(1)))
                            .kind());
            assertEquals(6, jsm.getStreamInfo(stream).getStreamState().getMsgCount());
        } finally {
            jsm.deleteStream(stream);
        }
    }

    @Test
    void aNarrowFilterReadsItsSubjectOnlyWithoutFalseGaps() throws Exception {
        String run = run();
        String stream = "ORDERS_" + run;
        String prefix = "orders_" + run;
        jsm.addStream(StreamConfiguration.builder()
                .name(stream)
                .subjects(prefix + ".>")
                .build());
        List<Written> written = writeOrders(prefix);
        List<Written> created = written.stream()
                .filter(w -> w.subject().equals(prefix + ".created"))
                .toList();
        try (StreamClient c = client(
                "jetstream.created",
                stream + ":" + prefix + ".created",
                "jetstream.all",
                stream,
                "jetstream.wild",
                stream + ":" + prefix + ".*")) {
            StreamName s = StreamName.of("created");
            c.createStream(s);
            StreamInfo info = c.info(s);
            assertEquals(created.size(), info.length(), "info counts the filter");
            assertEquals(
                    EventId.ofSequence(created.get(0).seq()), info.firstId().orElseThrow());
            assertEquals(
                    EventId.ofSequence(created.get(created.size() - 1).seq()),
                    info.lastId().orElseThrow());
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                List<StreamEvent> got = readAll(r, created.size());
                assertEquals(created.size(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    assertRead(created.get(i), got.get(i), false);
                }
                assertTrue(r.poll(10, Duration.ofMillis(300)).isEmpty(), "no DATA_LOSS for skipped sequences");
                publish(prefix + ".updated", null, new byte[] {1});
                publish(prefix + ".created", null, new byte[] {2});
                List<StreamEvent> more = readAll(r, 1);
                assertArrayEquals(new byte[] {2}, more.get(0).payload());
            }
            assertEquals(
                    created.size(), c.range(s, Position.earliest(), null, 100).size() - 1);

            // the whole stream, no filter: every message, each with its subject
            StreamName all = StreamName.of("all");
            c.createStream(all);
            assertEquals(7, c.info(all).length());
            try (StreamReader r = c.openReader(all, Position.earliest())) {
                assertRead(written.get(4), readAll(r, 7).get(4), true);
            }
            StreamException noSubject = assertThrows(StreamException.class, () -> c.append(all, StreamRecord.of("x")));
            assertEquals(ErrorKind.CONFIGURATION, noSubject.kind());

            // one token wildcard: orders_x.eu.shipped is not read
            StreamName wild = StreamName.of("wild");
            StreamInfo wildInfo = c.info(wild);
            assertEquals(6, wildInfo.length());
            assertEquals(
                    EventId.ofSequence(written.get(0).seq()), wildInfo.firstId().orElseThrow());
            long lastSeq = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
            assertEquals(EventId.ofSequence(lastSeq), wildInfo.lastId().orElseThrow(), "the last orders_x.* message");
            publish(prefix + ".eu.returned", null, new byte[] {3});
            assertEquals(
                    EventId.ofSequence(lastSeq),
                    c.info(wild).lastId().orElseThrow(),
                    "a later message of another subject is not the filter's last");
            try (StreamReader r = c.openReader(wild, Position.earliest())) {
                List<StreamEvent> got = readAll(r, 6);
                assertEquals(6, got.size());
                assertTrue(got.stream()
                        .noneMatch(
                                e -> e.headers().all("Tributary-Subject").get(0).contains(".eu.")));
            }
            assertEquals(
                    ErrorKind.CONFIGURATION,
                    assertThrows(StreamException.class, () -> c.append(wild, StreamRecord.of("x")))
                            .kind());
        } finally {
            jsm.deleteStream(stream);
        }
    }

    @Test
    void adoptionMistakesAreNamed() throws Exception {
        String run = run();
        String stream = "ORDERS_" + run;
        try (StreamClient c = client(
                "jetstream.missing",
                "NOPE_" + run + ":x.y",
                "jetstream.elsewhere",
                stream + ":billing_" + run + ".>",
                "jetstream.outside",
                stream + ":orders_" + run + ".>:orders_" + run + ".x")) {
            StreamException missing =
                    assertThrows(StreamException.class, () -> c.createStream(StreamName.of("missing")));
            assertEquals(ErrorKind.NOT_FOUND, missing.kind());
            assertTrue(missing.getMessage().contains("NOPE_" + run), missing.getMessage());
            assertFalse(c.info(StreamName.of("missing")).exists());
            jsm.addStream(StreamConfiguration.builder()
                    .name(stream)
                    .subjects("orders_" + run + ".created")
                    .build());
            try {
                StreamException elsewhere =
                        assertThrows(StreamException.class, () -> c.createStream(StreamName.of("elsewhere")));
                assertEquals(ErrorKind.CONFIGURATION, elsewhere.kind());
                assertTrue(elsewhere.getMessage().contains("jetstream.elsewhere"), elsewhere.getMessage());
                StreamException outside =
                        assertThrows(StreamException.class, () -> c.createStream(StreamName.of("outside")));
                assertEquals(ErrorKind.CONFIGURATION, outside.kind());
                assertTrue(outside.getMessage().contains("append subject"), outside.getMessage());
            } finally {
                jsm.deleteStream(stream);
            }
        }
    }

    @Test
    void aTributaryStreamWidenedByAnotherApplicationHasNoFalseDataLoss() throws Exception {
        try (StreamClient c = client()) {
            StreamName s = StreamName.of("widened-" + run());
            c.createStream(s);
            String name = "tributary_" + s.value();
            String other = "other_" + run();
            StreamConfiguration cfg = jsm.getStreamInfo(name).getConfiguration();
            jsm.updateStream(
                    StreamConfiguration.builder(cfg).addSubjects(other + ".>").build());
            List<EventId> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(c.append(s, StreamRecord.of("e" + i)));
                publish(other + ".x", null, ("other" + i).getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(5, c.info(s).length(), "info counts Tributary's subject");
            try (StreamReader r = c.openReader(s, Position.earliest())) {
                List<StreamEvent> got = readAll(r, 5);
                assertEquals(ids, got.stream().map(StreamEvent::id).toList());
                assertEquals("e4", got.get(4).payloadAsString());
                assertTrue(got.get(0).headers().isEmpty(), "no subject header on Tributary's own stream");
            }
            try (StreamReader r = c.openReader(s, Position.after(ids.get(1)))) {
                assertEquals(
                        ids.subList(2, 5),
                        readAll(r, 3).stream().map(StreamEvent::id).toList());
            }
            assertEquals(
                    ids.subList(1, 5),
                    c.range(s, Position.after(ids.get(0)), null, 10).stream()
                            .map(StreamEvent::id)
                            .toList());
            c.createGroup(s, "g", GroupOptions.defaults());
            try (GroupConsumer m = c.openGroupConsumer(s, "g", "m")) {
                List<StreamEvent> got = new ArrayList<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (got.size() < 5 && System.nanoTime() < deadline) {
                    got.addAll(m.poll(10, Duration.ofMillis(500)));
                }
                assertEquals(ids, got.stream().map(StreamEvent::id).toList());
            }

            // a real trim still is a gap: the reader is at ids[1], the stream keeps only its last message
            try (StreamReader r = c.openReader(s, Position.after(ids.get(0)))) {
                assertEquals(ids.get(1), readAll(r, 1).get(0).id());
                r.close();
            }
            StreamReader lagging = c.openReader(s, Position.after(ids.get(1)));
            jsm.purgeStream(name, io.nats.client.PurgeOptions.builder().keep(1).build());
            StreamException gap = assertThrows(StreamException.class, () -> readAll(lagging, 3));
            assertEquals(ErrorKind.DATA_LOSS, gap.kind());
            lagging.close();
            assertEquals(
                    ErrorKind.DATA_LOSS,
                    assertThrows(StreamException.class, () -> c.range(s, Position.after(ids.get(1)), null, 10))
                            .kind());
            c.deleteStream(s);
        }
    }
}
