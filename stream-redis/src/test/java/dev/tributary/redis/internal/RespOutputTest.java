package dev.tributary.redis.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespOutputTest {
    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    @Test
    void bulkAndSimpleStringsAndBigNumbersAllArriveAsBytes() {
        RespOutput out = new RespOutput();
        out.multi(4);
        out.set(bytes("bulk"));
        out.setSingle(bytes("OK"));
        out.setBigNumber(bytes("12345678901234567890"));
        out.set((ByteBuffer) null);
        List<?> list = assertInstanceOf(List.class, out.get());
        assertEquals(4, list.size());
        assertArrayEquals("bulk".getBytes(UTF_8), (byte[]) list.get(0));
        assertArrayEquals("OK".getBytes(UTF_8), (byte[]) list.get(1));
        assertArrayEquals("12345678901234567890".getBytes(UTF_8), (byte[]) list.get(2));
        assertNull(list.get(3), "nil");
    }

    @Test
    void nestedArraysKeepTheirShapeAndNumbersAreLongs() {
        RespOutput out = new RespOutput();
        out.multi(2);
        out.multi(1);
        out.set(7L);
        out.complete(1);
        out.set(true);
        out.complete(0);
        List<?> list = assertInstanceOf(List.class, out.get());
        assertEquals(List.of(List.of(7L), 1L), list);
    }
}
