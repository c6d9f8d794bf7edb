package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import org.junit.jupiter.api.Test;

/** The layout options payloadField and keyField: defaults, checks before any I/O. */
class EntryLayoutOptionsTest {

    private static StreamException bad(String uri) {
        return assertThrows(StreamException.class, () -> RedisSettings.from(ClientConfig.parse(uri)));
    }

    @Test
    void theDefaultLayoutIsKAndP() {
        RedisSettings s = RedisSettings.from(ClientConfig.parse("redis://h"));
        assertEquals("p", s.payloadField);
        assertEquals("k", s.keyField);
    }

    @Test
    void anotherApplicationsFieldsCanBeNamedPercentEncodedIfNeeded() {
        RedisSettings s = RedisSettings.from(ClientConfig.parse("redis://h?payloadField=data&keyField=event%20id"));
        assertEquals("data", s.payloadField);
        assertEquals("event id", s.keyField);
    }

    @Test
    void emptyEqualOrHeaderLikeFieldNamesAreConfigurationErrors() {
        StreamException empty = bad("redis://h?payloadField=");
        assertEquals(ErrorKind.CONFIGURATION, empty.kind());
        assertTrue(empty.getMessage().contains("payloadField is empty"), empty.getMessage());
        StreamException same = bad("redis://h?payloadField=data&keyField=data");
        assertEquals(ErrorKind.CONFIGURATION, same.kind());
        assertTrue(same.getMessage().contains("both 'data'"), same.getMessage());
        StreamException prefixed = bad("redis://h?keyField=h:id");
        assertEquals(ErrorKind.CONFIGURATION, prefixed.kind());
        assertTrue(prefixed.getMessage().contains("prefix of header fields"), prefixed.getMessage());
        StreamException typo = bad("redis://h?payloadFeld=data");
        assertTrue(typo.getMessage().contains("payloadFeld"), typo.getMessage());
    }

    @Test
    void aBadLayoutFailsBeforeAnyConnectionIsTried() {
        long t0 = System.nanoTime();
        StreamException e = assertThrows(
                StreamException.class,
                () -> StreamClients.open("redis://10.255.255.1:6379?connectTimeout=20s&keyField=&payloadField=p"));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no connect attempt to a black-holed address");
    }
}
