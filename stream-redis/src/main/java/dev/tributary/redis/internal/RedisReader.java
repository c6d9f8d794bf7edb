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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tail cursor over one stream.
 *
 * <p>Each poll first reads without blocking on the shared connection, {@code XRANGE key <cursor> +}
 * <em>including</em> the cursor: when the cursor's own entry comes back it is still retained, so
 * nothing after it can have been trimmed, and it is dropped from the result. When it does not come
 * back (trimmed, or an id that never existed) the reader asks {@code XINFO STREAM} whether removed
 * entries lie after the cursor, and reports {@link ErrorKind#DATA_LOSS} if so (see
 * {@link StreamMeta#gapAfter}). Only when nothing is there and the caller allows a wait does the poll
 * take a dedicated connection from the pool and block in {@code XREAD BLOCK}. After a failover that
 * lost the entries it read last, a reader with {@code lostTail=resume} goes back to the newest entry it
 * read that the server still holds (see {@link #resumeAfterLostTail()}).
 */
final class RedisReader extends AbstractStreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(RedisReader.class);
    /** How many of the ids read last a reader with {@code lostTail=resume} remembers. */
    static final int RECENT_IDS = 1024;

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
    /** With {@code lostTail=resume}: the ids read last, to find where a failover's lost tail began. */
    private final RecentIds recent;

    private RedisReader(RedisStreamClient client, StreamKeys keys, Position start, EventId cursor, Long anchor) {
        super(keys.stream(), client.limits(), "reader of " + keys.describe());
        this.keys = keys;
        this.channel = client.channel;
        this.admin = client.admin;
        this.codec = client.codec;
        this.blocking = new BlockingCall(client.pool, client.channel);
        this.recent = client.settings.resumeAfterLostTail ? new RecentIds(RECENT_IDS) : null;
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
        List<StreamEvent> got = read(maxCount);
        if (got.isEmpty() && !wait.isZero()) {
            got = block(maxCount, deadline);
            if (!got.isEmpty() && cursor != null && !cursor.equals(Ids.ZERO) && !held(cursor)) {
                // XREAD judged nothing: after a key that was missing (a server that lost its data) it
                // returns a new stream's entries, so judge the cursor as XRANGE does before handing out
                got = read(maxCount);
            }
        }
        if (!got.isEmpty()) {
            if (cursor == null && anchor == null) {
                anchor = anchorFromHead(got);
            }
            cursor = got.get(got.size() - 1).id();
            readAny = true;
            if (recent != null) {
                recent.add(got);
            }
            if (anchor != null) {
                anchor += got.size();
            }
        }
        return got;
    }

    /** {@link #readFrom} after the cursor; once more after {@link #resumeAfterLostTail()} moved it back. */
    private List<StreamEvent> read(int maxCount) {
        boolean cursorIsAnId = readAny || !(start instanceof Position.AtTime);
        try {
            return readFrom(channel, admin, codec, keys, cursor, cursorIsAnId, "+", maxCount, anchor);
        } catch (StreamException e) {
            if (e.kind() != ErrorKind.DATA_LOSS || !resumeAfterLostTail()) {
                throw e;
            }
            return readFrom(channel, admin, codec, keys, cursor, cursorIsAnId, "+", maxCount, anchor);
        }
    }

    /**
     * After a failover that lost the entries this reader read last: the cursor's entry is gone and
     * nothing removed explains it ({@link #lostTail}). Replication is asynchronous, so the old
     * primary served entries the promoted replica never got (with {@code waitReplicas}: appends not yet
     * confirmed, which failed {@code INDETERMINATE}). With option {@code lostTail=resume} the cursor
     * moves back to the newest entry the server still holds that this reader read (among its last
     * {@value #RECENT_IDS}): every entry held after it is read, including entries the new primary wrote
     * with ids at or below the old cursor. The loss is logged. Answers whether the cursor moved; when no
     * held entry is known to be read (a new stream under the key, or a loss longer than the ids
     * remembered) the poll fails {@code DATA_LOSS} as before.
     */
    private boolean resumeAfterLostTail() {
        if (recent == null || cursor == null || cursor.equals(Ids.ZERO)) {
            return false;
        }
        Optional<StreamMeta> meta = admin.meta(keys);
        if (meta.isEmpty() || !lostTail(meta.get(), cursor)) {
            return false;
        }
        EventId base = recent.newestRead(this::heldBelow, cursor);
        if (base == null) {
            return false;
        }
        LOG.warn(
                "{}: the server no longer holds the entries read after {} up to {} though nothing was trimmed or "
                        + "deleted: a failover promoted a replica that had not received them; continuing after {}, "
                        + "the last of them it holds (lostTail=resume). Their appends were not confirmed by a replica "
                        + "wait; writers that retry them store them again",
                keys.describe(),
                base,
                cursor,
                base);
        cursor = base;
        anchor = null;
        return true;
    }

    /**
     * Whether nothing removed explains that the cursor's entry is gone: no {@code XDEL} at or above it,
     * and no trimming up to it (nothing trimmed, or the retained head below it).
     */
    static boolean lostTail(StreamMeta meta, EventId cursor) {
        boolean trimmedUpToIt =
                meta.removed() != 0 && (meta.firstId() == null || meta.firstId().compareTo(cursor) >= 0);
        return meta.maxDeleted().compareTo(cursor) < 0 && !trimmedUpToIt;
    }

    /** Up to 256 entries the stream holds below {@code id}, newest first ({@code XREVRANGE key (id - COUNT 256}). */
    private List<StreamEvent> heldBelow(EventId id) {
        String key = keys.key();
        CommandArgs<byte[], byte[]> a = CommandChannel.args()
                .addKey(CommandChannel.b(key))
                .add("(" + Ids.wire(id))
                .add("-")
                .add("COUNT")
                .add(256);
        return codec.decodeAll(stream(), channel.sync(CommandType.XREVRANGE, a, "XREVRANGE " + key));
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
