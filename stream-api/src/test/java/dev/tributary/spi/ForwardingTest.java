package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each forwarding decorator hands every call of its interface to its delegate, unchanged. */
class ForwardingTest {
    private static final StreamName S = StreamName.of("s");

    @Test
    void forwardingClientPassesEveryCallToItsDelegate() throws Exception {
        assertForwardsEveryMethod(StreamClient.class, ForwardingStreamClient::new);
    }

    @Test
    void forwardingReaderPassesEveryCallToItsDelegate() throws Exception {
        assertForwardsEveryMethod(StreamReader.class, ForwardingStreamReader::new);
    }

    @Test
    void forwardingGroupConsumerPassesEveryCallToItsDelegate() throws Exception {
        assertForwardsEveryMethod(GroupConsumer.class, ForwardingGroupConsumer::new);
    }

    @Test
    void forwardingClientToStringNamesItsDelegate() {
        StreamClient delegate = recorder(StreamClient.class, new ArrayList<>());
        assertNotNull(new ForwardingStreamClient(delegate).toString());
    }

    @Test
    void blockingAppendsReturnWhatTheAsyncOnesCompleteWith() {
        StreamClient c = new ForwardingStreamClient(answering(
                CompletableFuture.completedFuture(EventId.of(1, 0)),
                CompletableFuture.completedFuture(List.of(EventId.of(1, 0)))));
        assertEquals(EventId.of(1, 0), c.append(S, StreamRecord.of("p")));
        assertEquals(List.of(EventId.of(1, 0)), c.appendBatch(S, List.of(StreamRecord.of("p"))));
    }

    @Test
    void blockingAppendsThrowTheAsyncOnesStreamException() {
        StreamException closed = StreamException.closed("client");
        StreamClient c = new ForwardingStreamClient(
                answering(CompletableFuture.failedFuture(closed), CompletableFuture.failedFuture(closed)));
        assertSame(closed, assertThrows(StreamException.class, () -> c.append(S, StreamRecord.of("p"))));
        assertSame(closed, assertThrows(StreamException.class, () -> c.appendBatch(S, List.of(StreamRecord.of("p")))));
    }

    /** A client whose appendAsync and appendBatchAsync return the given futures. */
    private static StreamClient answering(CompletableFuture<?> one, CompletableFuture<?> batch) {
        return (StreamClient) Proxy.newProxyInstance(
                StreamClient.class.getClassLoader(),
                new Class<?>[] {StreamClient.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "appendAsync" -> one;
                    case "appendBatchAsync" -> batch;
                    default -> null;
                });
    }

    /** Calls every abstract method of {@code type} on the decorator and checks the delegate saw it. */
    private static <T> void assertForwardsEveryMethod(Class<T> type, Function<T, ? extends T> decorate)
            throws Exception {
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
                continue;
            }
            List<String> calls = new ArrayList<>();
            T decorator = decorate.apply(recorder(type, calls));
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = zero(m.getParameterTypes()[i]);
            }
            m.invoke(decorator, args);
            assertEquals(List.of(m.getName()), calls, "calls to the delegate for " + m);
        }
    }

    /** A proxy of {@code type} that records each method called and returns a neutral value. */
    private static <T> T recorder(Class<T> type, List<String> calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("toString") ? "recorder" : m.getName().equals("hashCode") ? 0 : false;
            }
            calls.add(m.getName());
            Class<?> r = m.getReturnType();
            return r.isInterface() && !r.isSealed() && r.getName().startsWith("dev.tributary")
                    ? recorder(r, new ArrayList<>())
                    : zero(r);
        }));
    }

    private static Object zero(Class<?> c) {
        if (c == boolean.class) {
            return false;
        }
        if (c == int.class) {
            return 0;
        }
        if (c == long.class) {
            return 0L;
        }
        return null;
    }
}
