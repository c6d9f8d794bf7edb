package dev.tributary.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.ErrorKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecsTest {
    @Test
    void utf8RoundTripsAnyWellFormedText() {
        String s = "quotes \" colon : CRLF \r\n emoji 😀 ünï";
        assertEquals(s, Codecs.utf8().decode(Codecs.utf8().encode(s)));
        assertEquals("", Codecs.utf8().decode(new byte[0]));
    }

    @Test
    void utf8RejectsMalformedBytesWithACodecException() {
        CodecException e =
                assertThrows(CodecException.class, () -> Codecs.utf8().decode(new byte[] {(byte) 0xff}));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertThrows(CodecException.class, () -> Codecs.utf8().encode("\uDC00"));
        assertThrows(CodecException.class, () -> Codecs.utf8().encode(null));
    }

    @Test
    void bytesPassThrough() {
        byte[] b = "x".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(b, Codecs.bytes().decode(Codecs.bytes().encode(b)));
        assertEquals("bytes", Codecs.bytes().name());
        assertEquals("utf8", Codecs.utf8().name());
    }
}
