package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.AbstractStreamReader;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A tail cursor over one stream.
 *
 * <p>Each poll first reads without blocking on the shared connection, {@code XRANGE key <cursor> +}
 * <em>including</em> the cursor: when the cursor's own entry comes back it is still retained, so
 * nothing after it can have been trimmed, and it is dropped from the result. When it does not come
 * back (trimmed, or an id that never existed) the reader asks {@code XINFO STREAM} whether removed
 * entries lie after the cursor, and reports {@link ErrorKind#DATA_LOSS} if so (see
 * {@link StreamMeta#gapAfter}). Only when nothing is there and the caller allows a wait does the poll
 * take a dedicated connection from the pool and block in {@code XREAD BLOCK}.
 */
final class RedisReader extends AbstractStreamReader {
    private final CommandChannel channel;
    private final RedisAdmin admin;
    private final EntryCodec codec;
    private final StreamKeys keys;
    private final Position start;
    /** The last id read, or the resolved start; null = earliest with nothing read. */
    private EventId cursor;
    /** Entries ever added up to and including the cursor, when known (exact gap detection). */
    private Long anchor;

    private volatile boolean readAny;
    private final BlockingCall blocking;

    private RedisReader(RedisStreamClient client, StreamKeys keys, Position start, EventId cursor, Long anchor) {
        super(keys.stream(), client.limits(), "reader of " + keys.describe());
        this.keys = keys;
        this.channel = client.channel;
        this.admin = client.admin;
        this.codec = client.codec;
        this.blocking = new BlockingCall(client.pool, client.channel);
        this.start = start;
        this.cursor = cursor;
        this.anchor = anchor;
    }

    /** A reader at a checked position; {@code latest} resolves to the last generated id now. */
    static RedisReader open(RedisStreamClient client, StreamKeys keys, Position from) {
        if (from instanceof Position.Latest) {
            Optional<StreamMeta> meta = client.admin.meta(keys);
            EventId last = meta.map(StreamMeta::lastGenerated).orElse(Ids.ZERO);
            Long anchor = meta.map(StreamMeta::entriesAdded).orElse(0L);
            return new RedisReader(client, keys, Position.after(last), last, anchor);
        }
        return new RedisReader(client, keys, from, cursorOf(from), null);
    }

    /** The exclusive cursor of a start position; null for earliest. */
    static EventId cursorOf(Position from) {
        if (from instanceof Position.Earliest) {
            return null;
        }
        if (from instanceof Position.After a) {
            return RedisAdmin.redisId(a.id());
        }
        if (from instanceof Position.AtTime t) {
            long ms = t.time().toEpochMilli();
            return ms <= 0 ? Ids.ZERO : EventId.of(ms - 1, Long.MAX_VALUE);
        }
        throw StreamException.invalid("position " + from + " cannot be read from here");
    }

    @Override
    protected List<StreamEvent> doPoll(int maxCount, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean cursorIsAnId = readAny || !(start instanceof Position.AtTime);
        List<StreamEvent> got = readFrom(channel, admin, codec, keys, cursor, cursorIsAnId, "+", maxCount, anchor);
        if (got.isEmpty() && !wait.isZero()) {
            got = block(maxCount, deadline);
            if (!got.isEmpty() && cursor != null && !cursor.equals(Ids.ZERO) && !held(cursor)) {
                // XREAD judged nothing: after a key that was missing (a server that lost its data) it
                // returns a new stream's entries, so judge the cursor as XRANGE does before handing out
                got = readFrom(channel, admin, codec, keys, cursor, cursorIsAnId, "+", maxCount, anchor);
            }
        }
        if (!got.isEmpty()) {
            if (cursor == null && anchor == null) {
                anchor = anchorFromHead(got);
            }
            cursor = got.get(got.size() - 1).id();
            readAny = true;
            if (anchor != null) {
                anchor += got.size();
            }
        }
        return got;
    }

    /** Whether the stream still holds the entry {@code id} (one {@code XRANGE id id}). */
    private boolean held(EventId id) {
        String key = keys.key();
        String wire = Ids.wire(id);
        CommandArgs<byte[], byte[]> a =
                CommandChannel.args().addKey(CommandChannel.b(key)).add(wire).add(wire);
        return !codec.decodeAll(stream(), channel.sync(CommandType.XRANGE, a, "XRANGE " + key))
                .isEmpty();
    }

    /**
     * The first read from earliest starts at the retained head, whose entry number is known
     * ({@code entries-added - length + 1} while no XDEL hole lies past the head); returns the entry
     * number of the last event of {@code got}, or null when the head moved in between.
     */
    private Long anchorFromHead(List<StreamEvent> got) {
        try {
            Optional<StreamMeta> meta = admin.meta(keys);
            if (meta.isPresent()
                    && got.get(0).id().equals(meta.get().firstId())
                    && meta.get().maxDeleted().compareTo(meta.get().firstId()) < 0) {
                return meta.get().entriesAdded() - meta.get().length(); // entries before the head
            }
        } catch (StreamException e) {
            // no anchor: gap detection falls back to the head rule
        }
        return null;
    }

    /**
     * Reads up to {@code max} entries after {@code cursor} (exclusive; null = from the start) up to
     * {@code end}, checking for a gap as described on the class. {@code cursorIsAnId}: the cursor is
     * an entry's id (read, or given by the caller), not one made from a time, so a stream that never
     * held it is not the stream it came from.
     */
    static List<StreamEvent> readFrom(
            CommandChannel channel,
            RedisAdmin admin,
            EntryCodec codec,
            StreamKeys keys,
            EventId cursor,
            boolean cursorIsAnId,
            String end,
            int max,
            Long anchor) {
        String key = keys.key();
        String what = keys.partitioned() ? keys.describe() : "stream " + key;
        StreamName stream = keys.stream();
        boolean inclusive = cursor != null && !cursor.equals(Ids.ZERO);
        String startId = cursor == null ? "-" : Ids.wire(cursor);
        CommandArgs<byte[], byte[]> a = CommandChannel.args()
                .addKey(CommandChannel.b(keys.key()))
                .add(startId)
                .add(end)
                .add("COUNT")
                .add(inclusive ? max + 1 : max);
        List<StreamEvent> events = codec.decodeAll(stream, channel.sync(CommandType.XRANGE, a, "XRANGE " + key));
        if (cursor == null) {
            return events;
        }
        if (!events.isEmpty() && events.get(0).id().equals(cursor)) {
            return events.subList(1, events.size());
        }
        Optional<StreamMeta> meta = admin.meta(keys);
        if (meta.isPresent() && meta.get().recreatedSince(cursor, anchor)) {
            throw new StreamException(
                    ErrorKind.DATA_LOSS,
                    what + " is not the stream read up to " + cursor
                            + ": that entry is gone though nothing was deleted or trimmed up to it ("
                            + meta.get().entriesAdded()
                            + " entries ever added now, " + anchor
                            + " read) — the key was deleted and created again, or the "
                            + "server lost its data; reopen at earliest or decide how to recover");
        }
        if (meta.isPresent() && cursorIsAnId && meta.get().neverHeld(cursor)) {
            throw new StreamException(
                    ErrorKind.DATA_LOSS,
                    what + " never held " + cursor
                            + ": nothing was ever deleted or trimmed from it, so that id is of an earlier stream under this "
                            + "key (deleted and created again, or the server lost its data); reopen at earliest or decide how "
                            + "to recover");
        }
        if (meta.isPresent() && meta.get().gapAfter(cursor, anchor)) {
            throw new StreamException(
                    ErrorKind.DATA_LOSS,
                    what + ": events after " + cursor
                            + " were trimmed or deleted before they were read (the retained head is "
                            + meta.get().firstId() + "); reopen at earliest or decide how to recover");
        }
        return events.size() > max ? events.subList(0, max) : events;
    }

    private List<StreamEvent> block(int maxCount, long deadline) {
        String key = keys.key();
        Object reply = blocking.call(
                CommandType.XREAD,
                "XREAD BLOCK " + key,
                deadline - System.nanoTime(),
                ms -> CommandChannel.args()
                        .add("COUNT")
                        .add(maxCount)
                        .add("BLOCK")
                        .add(ms)
                        .add("STREAMS")
                        .addKey(CommandChannel.b(key))
                        .add(cursor == null ? "0-0" : Ids.wire(cursor)),
                this::isClosed); // closed: the skeleton says CLOSED
        return codec.decodeRead(stream(), reply);
    }

    /** The id an {@code XREAD} of this reader's key continues after: the cursor, {@code 0-0} from the start. */
    String waitId() {
        return cursor == null ? "0-0" : Ids.wire(cursor);
    }

    /** This reader's key. */
    StreamKeys keys() {
        return keys;
    }

    @Override
    public Position position() {
        return readAny ? Position.after(cursor) : start;
    }

    /** Closes the connection of a blocked XREAD, which wakes the poll. */
    @Override
    protected void doClose() {
        blocking.wake();
    }
}
