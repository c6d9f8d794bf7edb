package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void defaultsAndAddress() {
        RedisSettings s = RedisSettings.from(ClientConfig.parse("redis://cache.local"));
        assertEquals("cache.local", s.host);
        assertEquals(6379, s.port);
        assertEquals(0, s.database);
        assertFalse(s.tls);
        assertEquals(8, s.blockingPoolSize);
        assertEquals(4 << 20, s.maxPayloadBytes);
        assertEquals(64 << 10, s.maxHeaderBytes);
        assertEquals(Duration.ofMinutes(2), s.dedupWindow);
        assertEquals(100_000, s.dedupMaxIds);
        assertEquals("orders", s.streamKey("orders"));
        assertEquals("{orders}:tributary:groups", s.groupsKey("orders"));
    }

    @Test
    void namespacePrefixesEveryKey() {
        RedisSettings s = RedisSettings.from(ClientConfig.parse("rediss://h:6380/3?namespace=shop&blockingPoolSize=2"));
        assertTrue(s.tls);
        assertEquals(6380, s.port);
        assertEquals(3, s.database);
        assertEquals(2, s.blockingPoolSize);
        assertEquals("shop:orders", s.streamKey("orders"));
        assertEquals("{shop:orders}:tributary:dedup", s.dedupIdsKey("orders"));
        assertEquals("{shop:orders}:tributary:dedup-times", s.dedupTimesKey("orders"));
    }

    @Test
    void credentialsComeFromTheUserInfoAndNeverShow() {
        RedisSettings both = RedisSettings.from(ClientConfig.parse("redis://alice:p%40ss%3Aword@h"));
        assertEquals("alice", both.user);
        assertEquals("p@ss:word", new String(both.password));
        assertFalse(both.toString().contains("p@ss"), both.toString());
        assertFalse(both.describe().contains("p@ss"), both.describe());
        RedisSettings passOnly = RedisSettings.from(ClientConfig.parse("redis://:secret@h"));
        assertNull(passOnly.user);
        assertEquals("secret", new String(passOnly.password));
        RedisSettings legacy = RedisSettings.from(ClientConfig.parse("redis://secret@h"));
        assertEquals("secret", new String(legacy.password));
        assertFalse(legacy.toString().contains("secret"));
    }

    @Test
    void badOptionsAreConfigurationErrors() {
        assertEquals(
                ErrorKind.CONFIGURATION,
                assertThrows(
                                StreamException.class,
                                () -> RedisSettings.from(ClientConfig.parse("redis://h?blockingPoolSise=3")))
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                assertThrows(
                                StreamException.class,
                                () -> RedisSettings.from(ClientConfig.parse("redis://h?blockingPoolSize=0")))
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                assertThrows(StreamException.class, () -> RedisSettings.from(ClientConfig.parse("redis://h/x")))
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                assertThrows(
                                StreamException.class,
                                () -> RedisSettings.from(ClientConfig.parse("redis://h?tlsVerify=maybe")))
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                assertThrows(
                                StreamException.class,
                                () -> RedisSettings.from(ClientConfig.parse("redis://h?tlsCaCert=/no/such/file.pem")))
                        .kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                assertThrows(StreamException.class, () -> RedisSettings.from(ClientConfig.parse("redis:opaque")))
                        .kind());
    }

    @Test
    void severalBadOptionsGiveOneConfigurationErrorNamingEach() {
        StreamException e = assertThrows(
                StreamException.class,
                () -> RedisSettings.from(
                        ClientConfig.parse(
                                "redis://h/x?blockingPoolSise=3&ioThreads=0&dedupWindow=soon&tlsVerify=maybe&password=hunter2secret")));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        String m = e.getMessage();
        for (String named : List.of("blockingPoolSise", "ioThreads", "dedupWindow", "tlsVerify", "/x")) {
            assertTrue(m.contains(named), "names " + named + ": " + m);
        }
        assertTrue(m.contains("5 invalid Redis options"), m);
        assertFalse(m.contains("hunter2secret"), m);
    }

    @Test
    void tlsFilesNeedTheTlsSchemeAndEachOther() {
        StreamException e = assertThrows(
                StreamException.class,
                () -> RedisSettings.from(ClientConfig.parse("redis://h?tlsCert=/no/such/cert.pem")));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        String m = e.getMessage();
        assertTrue(m.contains("tlsCert=/no/such/cert.pem is not a readable file"), m);
        assertTrue(m.contains("tlsCert and tlsKey go together"), m);
        assertTrue(m.contains("use rediss://"), m);
    }

    @Test
    void aLostTailIsResumedOnClustersAndSentinelsAndFailsOnOneServerUnlessSet() {
        assertFalse(RedisSettings.from(ClientConfig.parse("redis://h")).resumeAfterLostTail);
        assertTrue(RedisSettings.from(ClientConfig.parse("redis://h?lostTail=resume")).resumeAfterLostTail);
        assertTrue(RedisSettings.from(ClientConfig.parse("redis://a:1,b:2?cluster=true")).resumeAfterLostTail);
        assertTrue(RedisSettings.from(ClientConfig.parse("redis-sentinel://s1:26379#m")).resumeAfterLostTail);
        assertFalse(RedisSettings.from(ClientConfig.parse("redis-sentinel://s1:26379?lostTail=fail#m"))
                .resumeAfterLostTail);
        StreamException e = assertThrows(
                StreamException.class, () -> RedisSettings.from(ClientConfig.parse("redis://h?lostTail=skip")));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains("lostTail"), e.getMessage());
    }
}
