package dev.tributary;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to one event-stream backend: append, read, range, info, trim and consumer groups.
 * Obtain one with {@link StreamClients#open(String)}.
 *
 * <h2>Threads and connections</h2>
 * A client is thread-safe and reuses its connections; it never opens a connection per request.
 * {@link #close()} is idempotent, bounded in time even with the broker frozen, and wakes every
 * blocked read, which then fails with {@link ErrorKind#CLOSED}. Every operation after close fails
 * with {@link ErrorKind#CLOSED}, {@link #parseId} included; only the constant metadata
 * ({@link #backend()}, {@link #capabilities()}, {@link #limits()}) still answers. Appends still
 * pending when close runs are given part of the close timeout to be confirmed; the rest fail
 * {@link ErrorKind#INDETERMINATE} if they may have reached the broker and {@link ErrorKind#CLOSED}
 * only if they were never sent (so a record whose append failed {@code CLOSED} was not stored).
 *
 * <h2>Validation</h2>
 * Stream, group and member names ({@link StreamName}), records, counts and waits are validated
 * before any I/O and fail with {@link ErrorKind#INVALID_ARGUMENT} (or {@link ErrorKind#TOO_LARGE}
 * for a record beyond {@link #limits()}). Asynchronous methods throw such errors directly rather
 * than through the future; failures of the I/O complete the future exceptionally with a
 * {@link StreamException}.
 *
 * <h2>Streams</h2>
 * {@link #createStream(StreamName)} is idempotent; portable applications call it before use (a
 * backend that needs no creation makes it cheap). Appending to a stream that does not exist fails
 * with {@link ErrorKind#NOT_FOUND} on a backend that needs creation, and creates the stream on one
 * that does not. Reading or ranging a missing stream returns nothing; {@link #info} answers
 * {@code exists=false}; group calls on a missing stream or group fail with
 * {@link ErrorKind#NOT_FOUND}.
 *
 * <h2>Capabilities</h2>
 * Optional features ({@link Capability}) are declared by {@link #capabilities()}; calling an
 * undeclared one fails fast with {@link ErrorKind#UNSUPPORTED}.
 */
public interface StreamClient extends AutoCloseable {

    /** The name of the backend's provider, e.g. {@code "redis"}. */
    String backend();

    /** The optional features this client supports. */
    Set<Capability> capabilities();

    /** Shorthand for {@code capabilities().contains(c)}. */
    default boolean supports(Capability c) {
        return capabilities().contains(c);
    }

    /** The sizes this backend accepts. */
    Limits limits();

    /**
     * Parses an id from its {@link EventId#toString()} form as this backend writes it.
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for a malformed id or one in another
     *                         backend's form
     */
    EventId parseId(String text);

    /** Asks the broker whether it answers; never throws for an unreachable broker. */
    Health health();

    /** Creates the stream, of one partition, if it does not exist. Idempotent. */
    void createStream(StreamName stream);

    /**
     * Creates the stream with {@code options} if it does not exist. Idempotent: an existing stream
     * keeps its partition count. One partition is what {@link #createStream(StreamName)} does; more
     * need {@link Capability#PARTITIONED}.
     *
     * @throws StreamException {@link ErrorKind#UNSUPPORTED} for several partitions on a backend that
     *                         does not declare {@link Capability#PARTITIONED}
     */
    default void createStream(StreamName stream, StreamOptions options) {
        if (options == null) {
            throw StreamException.invalid("stream options must not be null");
        }
        if (options.partitions() > 1) {
            throw StreamException.unsupported(Capability.PARTITIONED, backend());
        }
        createStream(stream);
    }

    /** Deletes the stream and its groups; returns whether it existed. */
    boolean deleteStream(StreamName stream);

    /**
     * Appends one record; the future completes with the broker-assigned id once the broker has
     * stored it. Appends are pipelined: many may be in flight at once, up to the client's bounded
     * window ({@code maxInFlightAppends}); beyond it the call waits (bounded by the request timeout)
     * and then returns a future failed with {@link ErrorKind#BACKPRESSURE} — on every backend the
     * full window arrives through the future, like every other I/O outcome, never as a thrown
     * exception. Appends from one thread are stored in call order.
     */
    CompletableFuture<EventId> appendAsync(StreamName stream, StreamRecord record);

    /** Blocking {@link #appendAsync}; throws the future's {@link StreamException}. */
    default EventId append(StreamName stream, StreamRecord record) {
        try {
            return appendAsync(stream, record).join();
        } catch (RuntimeException e) {
            throw StreamException.unwrap(e);
        }
    }

    /**
     * Appends records in order; completes with one id per record, in the same order. The whole
     * batch is validated before any record is sent. A failure part-way may leave a prefix stored
     * (the kind says whether the outcome is known).
     */
    CompletableFuture<List<EventId>> appendBatchAsync(StreamName stream, List<StreamRecord> records);

    /** Blocking {@link #appendBatchAsync}. */
    default List<EventId> appendBatch(StreamName stream, List<StreamRecord> records) {
        try {
            return appendBatchAsync(stream, records).join();
        } catch (RuntimeException e) {
            throw StreamException.unwrap(e);
        }
    }

    /** Opens a cursor at {@code from}; {@code latest} is resolved now. */
    StreamReader openReader(StreamName stream, Position from);

    /**
     * Reads history: up to {@code maxCount} events from {@code from} up to and including
     * {@code toInclusive} ({@code null}: up to the newest event at the time of the call), in order.
     * Page by calling again with {@code Position.after(lastIdOfThePage)}; pages have no gaps or
     * repeats. A missing or empty stream yields an empty list; broker errors propagate.
     *
     * <p>On a partitioned stream the page holds the oldest events of every partition, ordered by
     * broker timestamp, then partition, each partition's order kept; {@code toInclusive} must be
     * null. Page with a cursor: {@code c = c.advance(page)}, then {@code Position.after(c)}, starting
     * from {@code Cursor.earliest(info(stream).partitionCount())} (or a reader's cursor).
     *
     * @throws StreamException {@link ErrorKind#DATA_LOSS} when {@code from} is an id below the
     *                         retained head
     */
    List<StreamEvent> range(StreamName stream, Position from, EventId toInclusive, int maxCount);

    /** Length, first and last ids and times; answers for a missing or empty stream without throwing. */
    StreamInfo info(StreamName stream);

    /**
     * Applies a retention request; returns how many events were removed, or -1 when the backend
     * cannot tell.
     *
     * @throws StreamException {@link ErrorKind#UNSUPPORTED} for an undeclared trim capability
     */
    long trim(StreamName stream, Trim trim);

    /** Creates a consumer group if it does not exist (idempotent; an existing group keeps its options). */
    void createGroup(StreamName stream, String group, GroupOptions options);

    /** Opens a member of an existing group. */
    GroupConsumer openGroupConsumer(StreamName stream, String group, String member);

    /** The group's pending and lag figures. */
    GroupInfo groupInfo(StreamName stream, String group);

    /** Every group of the stream (empty for a missing stream). */
    List<GroupInfo> groups(StreamName stream);

    /** Deletes a group; its members' further polls fail with NOT_FOUND. Returns whether it existed. */
    boolean deleteGroup(StreamName stream, String group);

    /** Idempotent, bounded in time; wakes blocked reads. */
    @Override
    void close();
}
