package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> fields) {
        return fields.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void layoutIsKeyThenHeadersInOrderThenPayload() {
        StreamRecord r = StreamRecord.builder().payload("body").key("k1")
                .headers(Headers.of("a", "1", "b", "x:\r\n\"y\"", "a", "2")).build();
        assertEquals(List.of("k", "k1", "h:a", "1", "h:b", "x:\r\n\"y\"", "h:a", "2", "p", "body"),
                strings(EntryCodec.fields(r)));
        assertEquals(List.of("p", ""), strings(EntryCodec.fields(StreamRecord.of(new byte[0]))), "no key: no k field");
        assertEquals(List.of("k", "", "p", ""), strings(EntryCodec.fields(StreamRecord.builder().payload(new byte[0])
                .key(new byte[0]).build())), "an empty key is kept");
    }

    @Test
    void addFieldsWritesTheSameLayoutAsFields() {
        for (StreamRecord r : List.of(StreamRecord.builder().payload("body").key("k1")
                .headers(Headers.of("a", "1", "b", "é", "a", "2")).build(), StreamRecord.of(new byte[0]),
                StreamRecord.builder().payload(new byte[0]).key(new byte[0]).build())) {
            io.lettuce.core.protocol.CommandArgs<byte[], byte[]> direct =
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
            EntryCodec.addFields(direct, r);
            io.lettuce.core.protocol.CommandArgs<byte[], byte[]> viaList =
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
            EntryCodec.fields(r).forEach(viaList::add);
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
        StreamRecord r = StreamRecord.builder().payload(new byte[] {0, -1, 7}).key("k")
                .headers(Headers.of("a", "\uD83D\uDE00", "a", "")).build();
        List<Object> entry = List.of(u("1700000000000-5"), new ArrayList<Object>(EntryCodec.fields(r)));
        StreamEvent e = EntryCodec.decode(S, entry, 3);
        assertEquals(EventId.of(1700000000000L, 5), e.id());
        assertEquals(1700000000000L, e.timestamp().toEpochMilli());
        assertArrayEquals(new byte[] {0, -1, 7}, e.payload());
        assertEquals("k", e.keyAsString());
        assertEquals(r.headers(), e.headers());
        assertEquals(3, e.deliveryCount());
    }

    @Test
    void foreignEntriesReadLeniently() {
        StreamEvent e = EntryCodec.decode(S, List.of(u("1-0"), List.of(u("temp"), u("21"), u("bad key"), u("v"))), 1);
        assertEquals(0, e.payload().length);
        assertNull(e.key());
        assertEquals(Headers.of("temp", "21"), e.headers(), "invalid header names are skipped");
    }

    @Test
    void idsArePairsOnly() {
        assertEquals(EventId.of(5, 1), Ids.parse("5-1"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(StreamException.class, () -> Ids.parse("5")).kind());
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(StreamException.class, () -> Ids.parse("a-1")).kind());
        assertEquals(ErrorKind.INTERNAL, assertThrows(StreamException.class, () -> Ids.fromServer(u("12"))).kind());
        assertEquals(ErrorKind.INTERNAL, assertThrows(StreamException.class, () -> Ids.fromServer(u("1-x"))).kind());
        assertEquals("7-0", Ids.wire(EventId.of(7, 0)));
    }

    @Test
    void readRepliesOfNoStreamAreEmpty() {
        assertEquals(List.of(), EntryCodec.decodeRead(S, null));
        assertEquals(1, EntryCodec.decodeRead(S, List.of(List.of(u("s"), List.of(List.of(u("1-1"),
                List.of(u("p"), u("x"))))))).size());
    }
}
