package dev.tributary.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tributary.ClientConfig;
import dev.tributary.GroupConsumer;
import dev.tributary.GroupOptions;
import dev.tributary.Headers;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Entries another application wrote with plain Lettuce (bytes in, no Tributary) are read back exactly as
 * docs/interop.md says: odd field names, values that are not UTF-8 and repeated key or payload fields
 * come back marked and counted, never dropped or replaced; {@code payloadField}/{@code keyField} read and
 * write another application's layout. Tail, range and group reads decode alike.
 */
class RedisAdoptionIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private static RawRedis<byte[], byte[]> raw;

    @BeforeAll
    static void connect() {
        raw = RawRedis.open(RedisFixture.shared(), ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void disconnect() {
        if (raw != null) {
            raw.close();
        }
    }

    private static StreamName fresh(String what) {
        return StreamName.of("adopt-" + RUN + "-" + what + "-" + SEQ.incrementAndGet());
    }

    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** XADD with raw fields and values (repeats allowed), as another application's client sends it. */
    private static void xadd(StreamName s, Object... fieldsAndValues) {
        CommandArgs<byte[], byte[]> args =
                new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(u(s.value())).add("*");
        for (Object o : fieldsAndValues) {
            args.add(o instanceof String str ? u(str) : (byte[]) o);
        }
        raw.sync().dispatch(CommandType.XADD, new io.lettuce.core.output.ValueOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    /** A client of the fixture's server with {@code nameValues} as options (payloadField, keyField). */
    private static StreamClient open(String... nameValues) {
        ClientConfig.Builder b = RedisFixture.shared().config().toBuilder();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            b.option(nameValues[i], nameValues[i + 1]);
        }
        return StreamClients.open(b.build());
    }

    @Test
    void oddFieldNamesBinaryValuesAndRepeatedFieldsAreMarkedAndCountedNeverDropped() {
        StreamName s = fresh("odd");
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        byte[] bin = {(byte) 0xFF, 0, (byte) 0xC3, 0x28};
        xadd(
                s,
                "k",
                "sensor-1",
                "content type",
                "json",
                "ns:kind",
                "reading",
                "größe",
                "42",
                latin1,
                "x",
                "h:unit",
                bin,
                "k",
                "sensor-2",
                "p",
                "{\"t\":21}",
                "p",
                bin,
                "ok",
                "yes");
        try (StreamClient c = open()) {
            StreamEvent e = c.range(s, Position.earliest(), null, 10).get(0);
            assertEquals("sensor-1", e.keyAsString(), "the first k is the key");
            assertEquals("{\"t\":21}", e.payloadAsString(), "the first p is the payload");
            assertEquals(
                    Headers.of(
                            "~b64~", b64(u("content type")) + "." + b64(u("json")),
                            "~b64~", b64(u("ns:kind")) + "." + b64(u("reading")),
                            "~b64~", b64(u("größe")) + "." + b64(u("42")),
                            "~b64~", b64(latin1) + "." + b64(u("x")),
                            "unit", "~b64~" + b64(bin),
                            "~b64~", b64(u("k")) + "." + b64(u("sensor-2")),
                            "~b64~", b64(u("p")) + "." + b64(bin),
                            "ok", "yes"),
                    e.headers());
            assertEquals(7, e.markedHeaders());
        }
    }

    @Test
    void tailAndGroupReadsCarryTheSameMarkedForm() {
        StreamName s = fresh("paths");
        byte[] bin = {(byte) 0x80};
        try (StreamClient c = open()) {
            c.createStream(s);
            c.createGroup(s, "g", GroupOptions.defaults());
            try (StreamReader r = c.openReader(s, Position.latest());
                    GroupConsumer m = c.openGroupConsumer(s, "g", "m1")) {
                xadd(s, "a b", bin, "p", "x");
                List<StreamEvent> tail = r.poll(10, Duration.ofSeconds(5));
                List<StreamEvent> group = m.poll(10, Duration.ofSeconds(5));
                Headers expected = Headers.of("~b64~", b64(u("a b")) + "." + b64(bin));
                assertEquals(expected, tail.get(0).headers());
                assertEquals(1, tail.get(0).markedHeaders());
                assertEquals(expected, group.get(0).headers());
                assertEquals(1, group.get(0).markedHeaders());
            }
        }
    }

    @Test
    void payloadFieldAndKeyFieldReadAndWriteAnotherApplicationsLayout() {
        StreamName s = fresh("layout");
        xadd(s, "event_id", "order-7", "type", "order.created", "data", "{\"id\":7}", "p", "just a field");
        try (StreamClient c = open("payloadField", "data", "keyField", "event_id")) {
            c.append(
                    s,
                    StreamRecord.builder()
                            .key("order-8")
                            .header("type", "order.paid")
                            .payload("{\"id\":8}")
                            .build());
            List<StreamEvent> got = c.range(s, Position.earliest(), null, 10);
            assertEquals("order-7", got.get(0).keyAsString());
            assertEquals("{\"id\":7}", got.get(0).payloadAsString());
            assertEquals(
                    Headers.of("type", "order.created", "p", "just a field"),
                    got.get(0).headers());
            assertEquals(0, got.get(0).markedHeaders());
            assertEquals("order-8", got.get(1).keyAsString());
            assertEquals("{\"id\":8}", got.get(1).payloadAsString());
            assertEquals(Headers.of("type", "order.paid"), got.get(1).headers());
            assertEquals(
                    List.of("event_id", "order-8", "h:type", "order.paid", "data", "{\"id\":8}"),
                    fieldsOf(s, got.get(1).id().toString()),
                    "written in the application's layout");
        }
    }

    @Test
    void ourOwnRecordsStayNativeAndRoundTripUnmarked() {
        StreamName s = fresh("own");
        Headers h = Headers.of("type", "created", "odd", "~b64~aGVsbG8", "note", "é \r\n:", "type", "again");
        try (StreamClient c = open()) {
            c.append(
                    s,
                    StreamRecord.builder()
                            .key(new byte[] {0, (byte) 0xFF})
                            .headers(h)
                            .payload(new byte[] {1, 2})
                            .build());
            StreamEvent e = c.range(s, Position.earliest(), null, 10).get(0);
            assertEquals(h, e.headers());
            assertEquals(0, e.markedHeaders());
            assertArrayEquals(new byte[] {0, (byte) 0xFF}, e.key());
            assertArrayEquals(new byte[] {1, 2}, e.payload());
            List<String> fields = fieldsOf(s, e.id().toString());
            assertEquals(
                    List.of("k", "h:type", "h:odd", "h:note", "h:type", "p"),
                    List.of(fields.get(0), fields.get(2), fields.get(4), fields.get(6), fields.get(8), fields.get(10)));
            assertEquals("created", fields.get(3), "values are plain UTF-8 on the broker");
        }
    }

    @Test
    void anEntryWithoutThePayloadFieldReadsEmptyAndItsFieldsAsHeaders() {
        StreamName s = fresh("nop");
        xadd(s, "temperature", "21");
        try (StreamClient c = open()) {
            StreamEvent e = c.range(s, Position.earliest(), null, 10).get(0);
            assertEquals(0, e.payload().length);
            assertNull(e.key());
            assertEquals(Headers.of("temperature", "21"), e.headers());
        }
    }

    /** The field names and values of one entry, in the order Redis keeps them. */
    private static List<String> fieldsOf(StreamName s, String id) {
        List<Object> reply = raw.sync()
                .dispatch(
                        CommandType.XRANGE,
                        new NestedMultiOutput<>(ByteArrayCodec.INSTANCE),
                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                .addKey(u(s.value()))
                                .add(id)
                                .add(id));
        List<?> entry = (List<?>) reply.get(0);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) entry.get(1)) {
            out.add(new String((byte[]) o, StandardCharsets.UTF_8));
        }
        return out;
    }
}
