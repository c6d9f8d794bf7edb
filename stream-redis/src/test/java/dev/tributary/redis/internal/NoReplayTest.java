package dev.tributary.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class NoReplayTest {
    private static AsyncCommand<byte[], byte[], String> command(CommandType type) {
        return new AsyncCommand<>(new Command<>(type, new StatusOutput<>(ByteArrayCodec.INSTANCE)));
    }

    /** Lettuce's cluster wrapper (package-private), whose "done" is a flag of its own. */
    @SuppressWarnings("unchecked")
    private static RedisCommand<byte[], byte[], String> clusterCommand(RedisCommand<byte[], byte[], String> inner)
            throws Exception {
        Constructor<?> c = Class.forName("io.lettuce.core.cluster.ClusterCommand")
                .getDeclaredConstructor(RedisCommand.class, RedisChannelWriter.class, int.class);
        c.setAccessible(true);
        return (RedisCommand<byte[], byte[], String>) c.newInstance(inner, null, 5);
    }

    private static ErrorKind kindOf(AsyncCommand<?, ?, ?> failed) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, failed::get);
        return RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD s", false).kind();
    }

    @Test
    void aLostConnectionFailsItsUnansweredAppendsAndWaitsAsIndeterminateAndLeavesOtherCommands() {
        EmbeddedChannel ch = new EmbeddedChannel(new NoReplay());
        AsyncCommand<byte[], byte[], String> xadd = command(CommandType.XADD);
        AsyncCommand<byte[], byte[], String> wait = command(CommandType.WAIT);
        AsyncCommand<byte[], byte[], String> xread = command(CommandType.XREAD);
        ch.writeOutbound(xadd, xread, wait);
        ch.close();
        assertTrue(xadd.isDone() && wait.isDone(), "done, so Lettuce does not write them again");
        assertEquals(ErrorKind.INDETERMINATE, kindOf(xadd));
        assertEquals(ErrorKind.INDETERMINATE, kindOf(wait));
        assertFalse(xread.isDone(), "a read is Lettuce's to replay");
    }

    @Test
    void onAClusterTheWrapperOnTheWireIsCompletedNotOnlyTheCallersCommand() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new NoReplay());
        AsyncCommand<byte[], byte[], String> xadd = command(CommandType.XADD);
        RedisCommand<byte[], byte[], String> wrapper = clusterCommand(xadd);
        ch.writeOutbound(wrapper);
        ch.close();
        assertTrue(wrapper.isDone(), "Lettuce skips a done command when it re-sends; the wrapper's flag is its own");
        assertEquals(ErrorKind.INDETERMINATE, kindOf(xadd));
    }

    @Test
    void aBatchIsTrackedCommandByCommandAndAnsweredOnesAreDroppedAsNewOnesGo() {
        NoReplay handler = new NoReplay();
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        AsyncCommand<byte[], byte[], String> answered = command(CommandType.XADD);
        AsyncCommand<byte[], byte[], String> open = command(CommandType.XADD);
        ch.writeOutbound(List.of(answered, command(CommandType.GET)));
        assertEquals(1, handler.held());
        answered.complete();
        ch.writeOutbound(open);
        assertEquals(1, handler.held(), "the answered append left the queue");
        ch.close();
        assertFalse(answered.isCompletedExceptionally(), "an answered append is left as it is");
        assertEquals(ErrorKind.INDETERMINATE, kindOf(open));
    }

    @Test
    void thousandsOfUnansweredAppendsAreScannedOnlyEachTimeTheirNumberDoubles() {
        NoReplay handler = new NoReplay();
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        for (int i = 0; i < 5_000; i++) {
            ch.writeOutbound(command(CommandType.XADD));
        }
        assertEquals(5_000, handler.held());
        // at 1 024, 2 048 and 4 096 held, not once per write past 1 024 (which made appends quadratic)
        assertEquals(3, handler.scans());
        ch.close();
    }

    @Test
    void anUnansweredCommandAtTheFrontDoesNotLetAnsweredOnesPileUp() {
        NoReplay handler = new NoReplay();
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeOutbound(command(CommandType.XADD)); // never answered: holds the front
        for (int i = 0; i < 10_000; i++) {
            AsyncCommand<byte[], byte[], String> c = command(CommandType.XADD);
            ch.writeOutbound(c);
            c.complete();
            assertTrue(handler.held() <= 1_024, "held " + handler.held() + " after " + i);
        }
        ch.close();
    }
}
