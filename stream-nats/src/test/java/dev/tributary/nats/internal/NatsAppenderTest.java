package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.AppendWindow;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The appender's use of the append window, against a scripted jnats (no server). */
class NatsAppenderTest {
    /** A batch of three records, payloads "a", "b" and "c". */
    private static final List<StreamRecord> ABC =
            List.of(StreamRecord.of("a"), StreamRecord.of("b"), StreamRecord.of("c"));

    private static final StreamName S = StreamName.of("orders");

    /** What the fake jnats saw: one entry per publishAsync, with its options (or null) and its future. */
    record Published(Message message, PublishOptions options, CompletableFuture<PublishAck> ack) {}

    private final List<Published> published = new ArrayList<>();
    private volatile Connection.Status status = Connection.Status.CONNECTED;
    private volatile RuntimeException refuse;
    /** The JetStream API's answer to STREAM.INFO in the fake connection. */
    private volatile String streamInfo = "{\"type\":\"io.nats.jetstream.api.v1.stream_info_response\",\"error\":"
            + "{\"code\":404,\"err_code\":10059,\"description\":\"stream not found\"}}";

    private AppendWindow window;
    /** STREAM.INFO requests the fake connection answered. */
    private final java.util.concurrent.atomic.AtomicInteger streamInfoRequests =
            new java.util.concurrent.atomic.AtomicInteger();

    private NatsNames names = new NatsNames("tributary");

    private NatsAppender appender(int capacity, boolean autoMsgId) {
        return appender(new AppendWindow("test client", capacity, Duration.ofSeconds(30), null), autoMsgId);
    }

    private NatsAppender appender(AppendWindow w, boolean autoMsgId) {
        window = w;
        Connection connection = (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                    if (m.getName().equals("getStatus")) {
                        return status;
                    }
                    if (m.getName().equals("requestWithTimeout")
                            && a[0] instanceof String subject
                            && subject.startsWith("$JS.API.STREAM.INFO.")) {
                        streamInfoRequests.incrementAndGet();
                        return CompletableFuture.completedFuture(new io.nats.client.impl.NatsMessage(
                                subject, null, streamInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        JetStream js = (JetStream) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {JetStream.class}, (p, m, a) -> {
                    if (m.getName().equals("publishAsync") && a[0] instanceof Message msg) {
                        if (refuse != null) {
                            throw refuse;
                        }
                        if (published.size() >= refuseAfter) {
                            throw new IllegalStateException("Connection is Closed");
                        }
                        CompletableFuture<PublishAck> f = new CompletableFuture<>();
                        synchronized (published) {
                            published.add(new Published(msg, a.length > 1 ? (PublishOptions) a[1] : null, f));
                        }
                        return f;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return new NatsAppender(connection, js, names, new NatsErrors(Set.of()), window, autoMsgId, "nats://h:4222");
    }

    @AfterEach
    void closeWindow() {
        if (window != null) {
            window.close(Duration.ZERO);
        }
    }

    private static PublishAck ack(long seq) throws Exception {
        String json = "{\"stream\":\"tributary_orders\",\"seq\":" + seq + "}";
        return new PublishAck(new NatsMessage("_INBOX.x", null, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static ErrorKind kind(CompletableFuture<?> f) throws Exception {
        try {
            f.get(5, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return ((StreamException) e.getCause()).kind();
        }
    }

    @Test
    void aPubAckCompletesTheAppendWithItsSequenceAndGivesTheRoomBack() throws Exception {
        NatsAppender a = appender(2, false);
        CompletableFuture<EventId> f = a.append(S, StreamRecord.of("x"));
        assertEquals(1, window.inFlight());
        assertEquals("tributary.orders", published.get(0).message().getSubject());
        published.get(0).ack().complete(ack(7));
        assertEquals(EventId.ofSequence(7), f.get(5, TimeUnit.SECONDS));
        assertEquals(0, window.inFlight());
    }

    @Test
    void anAdoptedStreamTakesAppendsOnItsAppendSubject() throws Exception {
        names = new NatsNames(
                "tributary",
                java.util.Map.of(
                        "orders", new NatsTarget("ORDERS", "orders.>", "orders.created", true, "jetstream.orders")));
        NatsAppender a = appender(2, false);
        a.append(S, StreamRecord.of("x"));
        a.appendBatch(S, List.of(StreamRecord.of("y")));
        assertEquals("orders.created", published.get(0).message().getSubject());
        assertEquals("orders.created", published.get(1).message().getSubject());
    }

    @Test
    void anAdoptedStreamWithoutAnAppendSubjectRefusesAppendsBeforeAnyIo() {
        names = new NatsNames(
                "tributary",
                java.util.Map.of("orders", new NatsTarget("ORDERS", "orders.>", null, true, "jetstream.orders")));
        NatsAppender a = appender(2, false);
        StreamException e = org.junit.jupiter.api.Assertions.assertThrows(
                StreamException.class, () -> a.append(S, StreamRecord.of("x")));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        assertTrue(e.getMessage().contains("jetstream.orders=ORDERS:orders.>:<subject>"), e.getMessage());
        StreamException b = org.junit.jupiter.api.Assertions.assertThrows(
                StreamException.class, () -> a.appendBatch(S, List.of(StreamRecord.of("x"))));
        assertEquals(ErrorKind.CONFIGURATION, b.kind());
        assertEquals(0, published.size(), "nothing was sent");
        assertEquals(0, window.inFlight(), "no room was taken");
    }

    @Test
    void withoutAnIdNoOptionsTravelAndWithAutoMsgIdEveryAppendGetsAFreshOne() {
        appender(10, false).append(S, StreamRecord.of("plain"));
        assertNull(published.get(0).options(), "no options at all, so jnats does not copy the headers");
        NatsAppender auto = appender(10, true);
        auto.append(S, StreamRecord.of("a"));
        auto.append(S, StreamRecord.of("b"));
        auto.append(S, StreamRecord.of("c").withIdempotencyId("order-42"));
        String id1 = published.get(1).options().getMessageId();
        String id2 = published.get(2).options().getMessageId();
        assertTrue(id1 != null && id2 != null && !id1.equals(id2), id1 + " / " + id2);
        assertEquals("order-42", published.get(3).options().getMessageId());
    }

    @Test
    void aFullWindowFailsTheFutureWithBackpressureInsteadOfThrowing() throws Exception {
        ScheduledExecutorService stalled = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch release = new CountDownLatch(1);
        // the sweeper's only thread is busy: the append in flight cannot expire and make room meanwhile
        stalled.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            NatsAppender a = appender(new AppendWindow("test client", 1, Duration.ofMillis(200), null, stalled), false);
            CompletableFuture<EventId> first = a.append(S, StreamRecord.of("x"));
            long start = System.nanoTime();
            CompletableFuture<EventId> late = a.append(S, StreamRecord.of("y"));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "waited for room first");
            assertEquals(ErrorKind.BACKPRESSURE, kind(late));
            assertEquals(1, published.size(), "the late append never reached jnats");
            assertTrue(!first.isDone());
        } finally {
            release.countDown();
            stalled.shutdownNow();
        }
    }

    @Test
    void aDisconnectedClientFailsRetryableWithoutSendingAndKeepsNoRoom() throws Exception {
        NatsAppender a = appender(2, false);
        status = Connection.Status.DISCONNECTED;
        CompletableFuture<EventId> f = a.append(S, StreamRecord.of("x"));
        assertEquals(ErrorKind.RETRYABLE, kind(f));
        assertTrue(published.isEmpty());
        assertEquals(0, window.inFlight());
    }

    @Test
    void aPublishJnatsRefusesIsADefiniteFailure() throws Exception {
        NatsAppender a = appender(2, false);
        refuse = new IllegalArgumentException("Message payload size exceed server configuration 2000 vs 1000");
        assertEquals(ErrorKind.TOO_LARGE, kind(a.append(S, StreamRecord.of("x"))));
        refuse = new IllegalStateException("Connection is Closed");
        assertEquals(ErrorKind.RETRYABLE, kind(a.append(S, StreamRecord.of("x"))));
        assertEquals(0, window.inFlight());
    }

    @Test
    void aMissingStreamFailsNotFound() throws Exception {
        CompletableFuture<EventId> f = appender(2, false).append(S, StreamRecord.of("x"));
        published
                .get(0)
                .ack()
                .completeExceptionally(new IllegalStateException("503 No Responders Available For Request"));
        assertEquals(ErrorKind.NOT_FOUND, kind(f));
    }

    private static final String EXISTING_STREAM =
            "{\"type\":\"io.nats.jetstream.api.v1.stream_info_response\",\"config\":{\"name\":\"tributary_orders\"}}";

    private static final String NO_RESPONDERS = "503 No Responders Available For Request";

    /**
     * In a cluster, no responders for an existing stream means it has no leader for a moment (just
     * created, or an election): nothing was stored, so the same record is sent again until a leader
     * answers.
     */
    @Test
    void noRespondersForAnExistingStreamAreSentAgainUntilALeaderAnswers() throws Exception {
        streamInfo = EXISTING_STREAM;
        CompletableFuture<EventId> f = appender(2, false).append(S, StreamRecord.of("x"));
        published.get(0).ack().completeExceptionally(new IllegalStateException(NO_RESPONDERS));
        awaitPublished(2);
        assertTrue(!f.isDone(), "still trying: the deadline leaves time");
        published.get(1).ack().completeExceptionally(new IllegalStateException(NO_RESPONDERS));
        awaitPublished(3);
        assertArrayEquals(
                published.get(0).message().getData(), published.get(2).message().getData());
        published.get(2).ack().complete(ack(7));
        assertEquals(EventId.ofSequence(7), f.get(5, TimeUnit.SECONDS));
        assertEquals(0, window.inFlight());
        assertEquals(1, streamInfoRequests.get(), "whether the stream exists is asked once per append, not per resend");
    }

    /** Near its deadline the append stops trying and says what is known: nothing stored, retry. */
    @Test
    void noRespondersWithLittleTimeLeftAreRetryable() throws Exception {
        streamInfo = EXISTING_STREAM;
        AppendWindow shortDeadline = new AppendWindow("test client", 2, Duration.ofMillis(200), null);
        CompletableFuture<EventId> f = appender(shortDeadline, false).append(S, StreamRecord.of("x"));
        published.get(0).ack().completeExceptionally(new IllegalStateException(NO_RESPONDERS));
        assertEquals(ErrorKind.RETRYABLE, kind(f));
        assertEquals(1, published.size(), "not sent again: 200 ms leave no room for another attempt");
        assertEquals(0, window.inFlight());
    }

    /** A record of a batch that meets no leader is sent again, and the batch goes on in order. */
    @Test
    void aBatchRecordThatMeetsNoLeaderIsSentAgainAndTheBatchGoesOn() throws Exception {
        streamInfo = EXISTING_STREAM;
        CompletableFuture<List<EventId>> f =
                appender(10, false).appendBatch(S, List.of(StreamRecord.of("a"), StreamRecord.of("b")));
        published.get(0).ack().complete(ack(1));
        published.get(1).ack().completeExceptionally(new IllegalStateException(NO_RESPONDERS));
        awaitPublished(3);
        assertArrayEquals(
                "b".getBytes(StandardCharsets.UTF_8), published.get(2).message().getData());
        published.get(2).ack().complete(ack(2));
        assertEquals(List.of(EventId.ofSequence(1), EventId.ofSequence(2)), f.get(5, TimeUnit.SECONDS));
        assertEquals(1, streamInfoRequests.get());
    }

    @Test
    void aBatchTakesRoomOnceAndSendsEachRecordOnceTheOneBeforeIsConfirmed() throws Exception {
        CompletableFuture<List<EventId>> f = appender(10, false).appendBatch(S, ABC);
        assertEquals(3, window.inFlight());
        assertEquals(1, published.size(), "only the first record is out until it is confirmed");
        published.get(0).ack().complete(ack(1));
        assertEquals(2, published.size());
        published.get(1).ack().complete(ack(2));
        assertTrue(!f.isDone(), "complete only once every record is confirmed");
        published.get(2).ack().complete(ack(3));
        assertEquals(
                List.of(EventId.ofSequence(1), EventId.ofSequence(2), EventId.ofSequence(3)),
                f.get(5, TimeUnit.SECONDS));
        assertEquals(0, window.inFlight());
    }

    @Test
    void aRecordOfABatchThatFailsStopsTheBatchSoWhatIsStoredIsAPrefix() throws Exception {
        CompletableFuture<List<EventId>> f = appender(10, false).appendBatch(S, ABC);
        published.get(0).ack().complete(ack(1));
        published.get(1).ack().completeExceptionally(new java.io.IOException("connection reset"));
        assertTrue(f.isCompletedExceptionally());
        assertEquals(2, published.size(), "the record after a failed one is never sent");
        assertEquals(0, window.inFlight());
    }

    @Test
    void aBatchCutOffAfterItsFirstRecordLeftIsIndeterminateAndCutOffBeforeIsDefinite() throws Exception {
        NatsAppender a = appender(10, false);
        List<StreamRecord> batch = ABC;
        refuseAfter = 1; // the connection drops after the first record was handed over
        CompletableFuture<List<EventId>> cut = a.appendBatch(S, batch);
        published.get(0).ack().complete(ack(1)); // confirmed: the second record is handed over and refused
        assertEquals(ErrorKind.INDETERMINATE, kind(cut));
        published.clear();
        refuseAfter = 0;
        assertEquals(ErrorKind.RETRYABLE, kind(a.appendBatch(S, batch)));
        assertEquals(0, window.inFlight(), "a failed batch gives its room back at once");
    }

    private volatile int refuseAfter = Integer.MAX_VALUE;

    @Test
    void appendsPendingWhenTheWindowClosesEndIndeterminate() throws Exception {
        NatsAppender a = appender(10, false);
        CompletableFuture<EventId> sent = a.append(S, StreamRecord.of("x"));
        window.close(Duration.ofMillis(50));
        assertEquals(ErrorKind.INDETERMINATE, kind(sent));
        assertEquals(ErrorKind.CLOSED, kind(a.append(S, StreamRecord.of("late"))));
        assertEquals(1, published.size(), "nothing is handed to jnats after close");
    }

    private static PublishAck duplicateWithoutSequence() throws Exception {
        String json = "{\"stream\":\"tributary_orders\",\"seq\":0,\"duplicate\":true}";
        return new PublishAck(new NatsMessage("_INBOX.x", null, json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Waits until the fake jnats saw {@code n} publishes. */
    private void awaitPublished(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (published.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, published.size());
    }

    @Test
    void aDuplicateAnsweredWithSequenceZeroIsAskedAgainUntilTheServerNamesTheSequence() throws Exception {
        NatsAppender a = appender(2, true);
        CompletableFuture<EventId> f = a.append(S, StreamRecord.of("x").withIdempotencyId("order-7"));
        published.get(0).ack().complete(duplicateWithoutSequence()); // the first copy is still replicating
        awaitPublished(2);
        assertTrue(!f.isDone(), "sequence 0 is never a stored event's id");
        assertEquals("order-7", published.get(1).options().getMessageId(), "the same id: not stored twice");
        published.get(1).ack().complete(duplicateWithoutSequence());
        awaitPublished(3);
        published.get(2).ack().complete(ack(41));
        assertEquals(EventId.ofSequence(41), f.get(5, TimeUnit.SECONDS));
        assertEquals(0, window.inFlight());
    }

    @Test
    void aBatchRecordAnsweredWithSequenceZeroIsAskedAgainBeforeTheNextIsSent() throws Exception {
        NatsAppender a = appender(4, true);
        CompletableFuture<List<EventId>> f = a.appendBatch(S, List.of(StreamRecord.of("x"), StreamRecord.of("y")));
        published.get(0).ack().complete(duplicateWithoutSequence());
        awaitPublished(2);
        assertEquals(
                published.get(0).options().getMessageId(),
                published.get(1).options().getMessageId());
        published.get(1).ack().complete(ack(5));
        awaitPublished(3);
        published.get(2).ack().complete(ack(6));
        assertEquals(List.of(EventId.ofSequence(5), EventId.ofSequence(6)), f.get(5, TimeUnit.SECONDS));
    }
}
