package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
    private static final StreamName S = StreamName.of("s");
    private static final EntryCodec CODEC = new EntryCodec("k", "p");

    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> fields) {
        return fields.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void layoutIsKeyThenHeadersInOrderThenPayload() {
        StreamRecord r = StreamRecord.builder()
                .payload("body")
                .key("k1")
                .headers(Headers.of("a", "1", "b", "x:\r\n\"y\"", "a", "2"))
                .build();
        assertEquals(
                List.of("k", "k1", "h:a", "1", "h:b", "x:\r\n\"y\"", "h:a", "2", "p", "body"),
                strings(CODEC.fields(r)));
        assertEquals(List.of("p", ""), strings(CODEC.fields(StreamRecord.of(new byte[0]))), "no key: no k field");
        assertEquals(
                List.of("k", "", "p", ""),
                strings(CODEC.fields(StreamRecord.builder()
                        .payload(new byte[0])
                        .key(new byte[0])
                        .build())),
                "an empty key is kept");
    }

    @Test
    void addFieldsWritesTheSameLayoutAsFields() {
        for (StreamRecord r : List.of(
                StreamRecord.builder()
                        .payload("body")
                        .key("k1")
                        .headers(Headers.of("a", "1", "b", "é", "a", "2"))
                        .build(),
                StreamRecord.of(new byte[0]),
                StreamRecord.builder().payload(new byte[0]).key(new byte[0]).build())) {
            io.lettuce.core.protocol.CommandArgs<byte[], byte[]> direct =
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
            CODEC.addFields(direct, r);
            io.lettuce.core.protocol.CommandArgs<byte[], byte[]> viaList =
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
            CODEC.fields(r).forEach(viaList::add);
            io.netty.buffer.ByteBuf a = io.netty.buffer.Unpooled.buffer();
            io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
            direct.encode(a);
            viaList.encode(b);
            assertEquals(b, a, "same bytes on the wire");
            assertEquals(viaList.count(), direct.count());
        }
    }

    @Test
    void decodeRoundTripsTheLayout() {
        StreamRecord r = StreamRecord.builder()
                .payload(new byte[] {0, -1, 7})
                .key("k")
                .headers(Headers.of("a", "\uD83D\uDE00", "a", ""))
                .build();
        List<Object> entry = List.of(u("1700000000000-5"), new ArrayList<Object>(CODEC.fields(r)));
        StreamEvent e = CODEC.decode(S, entry, 3);
        assertEquals(EventId.of(1700000000000L, 5), e.id());
        assertEquals(1700000000000L, e.timestamp().toEpochMilli());
        assertArrayEquals(new byte[] {0, -1, 7}, e.payload());
        assertEquals("k", e.keyAsString());
        assertEquals(r.headers(), e.headers());
        assertEquals(3, e.deliveryCount());
    }

    private static StreamEvent entry(EntryCodec codec, Object... fieldsAndValues) {
        List<Object> fv = new ArrayList<>();
        for (Object o : fieldsAndValues) {
            fv.add(o instanceof String str ? u(str) : o);
        }
        return codec.decode(S, List.of(u("1-0"), fv), 1);
    }

    private static String b64(byte[] b) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Test
    void foreignEntriesReadLeniently() {
        StreamEvent e = entry(CODEC, "temp", "21");
        assertEquals(0, e.payload().length, "no p: an empty payload");
        assertNull(e.key());
        assertEquals(Headers.of("temp", "21"), e.headers(), "a field named like a header is one");
        assertEquals(0, e.markedHeaders());
    }

    @Test
    void fieldsOutsideTheHeaderGrammarAreMarkedInTheirPlaceNeverDropped() {
        byte[] latin1 = {'g', (byte) 0xE9, 'n'};
        StreamEvent e = entry(
                CODEC, "first", "1", "bad key", "v", "a:b", "x", "h:c d", "y", "größe", "z", latin1, "w", "last", "2");
        assertEquals(
                Headers.of(
                        "first",
                        "1",
                        "~b64~",
                        b64(u("bad key")) + "." + b64(u("v")),
                        "~b64~",
                        b64(u("a:b")) + "." + b64(u("x")),
                        "~b64~",
                        b64(u("h:c d")) + "." + b64(u("y")),
                        "~b64~",
                        b64(u("größe")) + "." + b64(u("z")),
                        "~b64~",
                        b64(latin1) + "." + b64(u("w")),
                        "last",
                        "2"),
                e.headers());
        assertEquals(5, e.markedHeaders());
    }

    @Test
    void aValueThatIsNotUtf8IsMarkedByteForByteNotReplaced() {
        byte[] bin = {(byte) 0xFF, 0, (byte) 0xC3, 'x'};
        StreamEvent e = entry(CODEC, "h:raw", bin, "text", "ok", "p", bin);
        assertEquals(Headers.of("raw", "~b64~" + b64(bin), "text", "ok"), e.headers());
        assertArrayEquals(bin, e.payload(), "the payload is bytes anyway");
        assertEquals(1, e.markedHeaders());
    }

    @Test
    void theFirstKeyAndPayloadFieldsCountAndRepeatedOnesAreMarked() {
        StreamEvent e = entry(CODEC, "k", "key-1", "p", "body-1", "t", "1", "k", "key-2", "p", "body-2");
        assertEquals("key-1", e.keyAsString());
        assertEquals("body-1", e.payloadAsString());
        assertEquals(
                Headers.of(
                        "t",
                        "1",
                        "~b64~",
                        b64(u("k")) + "." + b64(u("key-2")),
                        "~b64~",
                        b64(u("p")) + "." + b64(u("body-2"))),
                e.headers());
        assertEquals(2, e.markedHeaders());
    }

    @Test
    void anotherLayoutNamesThePayloadAndKeyFields() {
        EntryCodec data = new EntryCodec("id", "data");
        StreamEvent e = entry(data, "id", "order-7", "type", "created", "p", "not the payload", "data", "{\"n\":1}");
        assertEquals("order-7", e.keyAsString());
        assertEquals("{\"n\":1}", e.payloadAsString());
        assertEquals(Headers.of("type", "created", "p", "not the payload"), e.headers());
        StreamRecord r = StreamRecord.builder()
                .payload("body")
                .key("k1")
                .header("type", "created")
                .build();
        assertEquals(
                List.of("id", "k1", "h:type", "created", "data", "body"),
                strings(data.fields(r)),
                "written in the same layout");
        StreamEvent back = data.decode(S, List.of(u("2-0"), new ArrayList<Object>(data.fields(r))), 1);
        assertEquals(r.headers(), back.headers());
        assertEquals("k1", back.keyAsString());
        assertEquals("body", back.payloadAsString());
    }

    @Test
    void ourHeaderValuesThatLookMarkedRoundTripUnmarked() {
        StreamRecord r = StreamRecord.builder()
                .payload("x")
                .headers(Headers.of("odd", "~b64~aGVsbG8", "e", "~b64~"))
                .build();
        StreamEvent e = CODEC.decode(S, List.of(u("1-0"), new ArrayList<Object>(CODEC.fields(r))), 1);
        assertEquals(r.headers(), e.headers());
        assertEquals(0, e.markedHeaders());
    }

    @Test
    void headerNamesFollowTheGrammar() {
        assertEquals("a", EntryCodec.headerName(u("h:a")));
        assertEquals("a", EntryCodec.headerName(u("a")));
        assertEquals("h", EntryCodec.headerName(u("h")));
        assertNull(EntryCodec.headerName(u("h:")));
        assertNull(EntryCodec.headerName(u("")));
        assertNull(EntryCodec.headerName(u("h:a:b")));
        assertNull(EntryCodec.headerName(u("x".repeat(257))));
        assertEquals("x".repeat(256), EntryCodec.headerName(u("h:" + "x".repeat(256))));
    }

    @Test
    void entriesBeyondTheHeadersBoundFailLoudly() {
        byte[] big = new byte[(1 << 20) + 1];
        StreamException ex = assertThrows(StreamException.class, () -> entry(CODEC, "blob", big));
        assertEquals(ErrorKind.CONFIGURATION, ex.kind());
        assertTrue(ex.getMessage().contains("payloadField"), ex.getMessage());
    }

    @Test
    void idsArePairsOnly() {
        assertEquals(EventId.of(5, 1), Ids.parse("5-1"));
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> Ids.parse("5")).kind());
        assertEquals(
                ErrorKind.INVALID_ARGUMENT,
                assertThrows(StreamException.class, () -> Ids.parse("a-1")).kind());
        assertEquals(
                ErrorKind.INTERNAL,
                assertThrows(StreamException.class, () -> Ids.fromServer(u("12")))
                        .kind());
        assertEquals(
                ErrorKind.INTERNAL,
                assertThrows(StreamException.class, () -> Ids.fromServer(u("1-x")))
                        .kind());
        assertEquals("7-0", Ids.wire(EventId.of(7, 0)));
    }

    @Test
    void readRepliesOfNoStreamAreEmpty() {
        assertEquals(List.of(), CODEC.decodeRead(S, null));
        assertEquals(
                1,
                CODEC.decodeRead(S, List.of(List.of(u("s"), List.of(List.of(u("1-1"), List.of(u("p"), u("x")))))))
                        .size());
    }
}
