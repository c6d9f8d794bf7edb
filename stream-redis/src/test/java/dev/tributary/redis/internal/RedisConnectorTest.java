package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConnectorTest {

    @Test
    void onlyXaddIsLeftWithoutALettuceTimeoutForTheAppendWindowToBound() {
        var source = RedisConnector.timeoutSource(Duration.ofSeconds(3));
        assertEquals(0, source.getTimeout(new Command<>(CommandType.XADD, null)));
        assertEquals(3000, source.getTimeout(new Command<>(CommandType.EVAL, null)));
        assertEquals(3000, source.getTimeout(new Command<>(CommandType.XRANGE, null)));
        assertEquals(3000, source.getTimeout(new Command<>(CommandType.PING, null)));
    }

    @Test
    void theServerVersionIsReadFromInfoServer() {
        String info = "# Server\r\nredis_git_sha1:00000000\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\n";
        assertEquals("7.2.4", RedisConnector.versionOf(info));
        assertEquals(7, RedisConnector.majorOf("7.2.4"));
        assertEquals(6, RedisConnector.majorOf("6.2.14"));
        assertEquals("unknown", RedisConnector.versionOf("# Server\r\nredis_mode:standalone\r\n"));
        assertEquals(7, RedisConnector.majorOf("unknown"), "a server that reports no number is given the benefit");
    }
}
