package dev.tributary.redis.internal;

import static dev.tributary.redis.internal.CommandChannel.args;
import static dev.tributary.redis.internal.CommandChannel.b;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.StreamOptions;
import dev.tributary.Trim;
import io.lettuce.core.protocol.CommandType;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Partitioned streams on Redis: one stream key per partition ({@link StreamKeys}), and the partition
 * count in a string key beside the one-partition key ({@link RedisSettings#partitionsKey}), absent
 * for a one-partition stream. Creating, deleting, {@code info}, trims and groups of a partitioned
 * stream apply {@link RedisAdmin}'s one-key calls to each partition. Thread-safe.
 *
 * <p>Every call but an append looks the count up (one {@code GET}). Appends use a remembered count
 * ({@link #countForAppend}; creating or deleting through this client forgets it at once), refreshed
 * in the background once it is {@link #APPEND_COUNT_TTL_NANOS} old, so an append costs no extra round
 * trip and never blocks an I/O thread; a stream deleted and created with another count by another
 * client is seen by this client's appends about that time later.
 */
final class RedisPartitions {
    /** How long appends trust a partition count they looked up: 1 s. */
    static final long APPEND_COUNT_TTL_NANOS = 1_000_000_000L;

    private final RedisSettings settings;
    private final CommandChannel channel;
    private final RedisAdmin admin;
    private final ConcurrentHashMap<StreamName, Known> counts = new ConcurrentHashMap<>();

    RedisPartitions(RedisSettings settings, CommandChannel channel, RedisAdmin admin) {
        this.settings = settings;
        this.channel = channel;
        this.admin = admin;
    }

    /** The keys of every partition of a stream of {@code n} partitions ({@code n > 1}). */
    List<StreamKeys> keys(StreamName stream, int n) {
        List<StreamKeys> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            out.add(settings.keys(stream, p));
        }
        return out;
    }

    /** The partition count of a stream: 1 for a one-partition or missing stream (one {@code GET}). */
    int count(StreamName stream) {
        String key = settings.partitionsKey(stream.value());
        return parseCount(stream, key, channel.sync(CommandType.GET, args().addKey(b(key)), "GET " + key));
    }

    /** The count a {@code GET} of {@code key} answered. */
    private static int parseCount(StreamName stream, String key, Object r) {
        if (r == null) {
            return 1;
        }
        String text = Resp.str(r, "partition count");
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 2 || n > StreamOptions.MAX_PARTITIONS) {
            throw new StreamException(
                    ErrorKind.INTERNAL,
                    "key " + key + " should hold the partition count of stream " + stream.value() + " (2 to "
                            + StreamOptions.MAX_PARTITIONS + "), but holds '" + text + "'");
        }
        return n;
    }

    /** The count, looked up without blocking. */
    private CompletableFuture<Integer> countAsync(StreamName stream) {
        String key = settings.partitionsKey(stream.value());
        return channel.call(CommandType.GET, args().addKey(b(key))).handle((r, e) -> {
            if (e != null) {
                throw RedisErrors.map(e, RedisErrors.Op.OTHER, "GET " + key, channel.isClosing());
            }
            return parseCount(stream, key, r);
        });
    }

    /**
     * The count for an append, which must not block an I/O thread (a caller may append from the
     * callback of an earlier append, which Lettuce runs on its event loop). A remembered count is used
     * at once; once it is {@link #APPEND_COUNT_TTL_NANOS} old, one lookup refreshes it in the
     * background. A stream not seen yet is looked up: on a caller's own thread with one {@code GET}
     * it waits for; on an I/O thread asynchronously, the append following when the answer comes
     * (appends written in one event-loop task still go out in call order: their lookups are answered
     * in order on one connection).
     */
    CompletableFuture<Integer> countForAppend(StreamName stream) {
        Known k = counts.get(stream);
        if (k != null) {
            if (System.nanoTime() - k.at() >= APPEND_COUNT_TTL_NANOS
                    && k.refreshing().compareAndSet(false, true)) {
                // failures are handled in the callback: the flag is cleared and the next append asks again
                var unused = countAsync(stream).whenComplete((n, e) -> {
                    if (e == null) {
                        counts.put(stream, new Known(n, System.nanoTime(), new AtomicBoolean()));
                    } else {
                        k.refreshing().set(false); // the next append after the failure asks again
                    }
                });
            }
            return CompletableFuture.completedFuture(k.n());
        }
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            int n = count(stream);
            counts.put(stream, new Known(n, System.nanoTime(), new AtomicBoolean()));
            return CompletableFuture.completedFuture(n);
        }
        return countAsync(stream).thenApply(n -> {
            counts.putIfAbsent(stream, new Known(n, System.nanoTime(), new AtomicBoolean()));
            return n;
        });
    }

    /** A count an append remembered, when it was looked up, and whether a refresh is under way. */
    private record Known(int n, long at, AtomicBoolean refreshing) {}

    /** Forgets the remembered count of a stream (it was created or deleted). */
    void forget(StreamName stream) {
        counts.remove(stream);
    }

    /**
     * Creates a stream of {@code n} partitions, or leaves an existing one as it is (its count kept):
     * records the count, then creates each partition's key.
     */
    void create(StreamName stream, int n) {
        forget(stream);
        String countKey = settings.partitionsKey(stream.value());
        String plain = settings.streamKey(stream.value());
        Object r = channel.syncEval(
                Script.CREATE_PARTITIONED,
                List.of(b(plain), b(countKey)),
                List.of(b(Integer.toString(n))),
                "create stream " + stream.value() + " of " + n + " partitions");
        int has = (int) Resp.num(r, "partition count");
        if (has > 1) {
            for (StreamKeys k : keys(stream, has)) {
                admin.createStream(k); // idempotent: completes a creation that stopped half way
            }
        }
    }

    /** Deletes every partition (and its groups), then the count; true if anything existed. */
    boolean delete(StreamName stream, int n) {
        forget(stream);
        boolean any = false;
        for (StreamKeys k : keys(stream, n)) {
            any |= admin.deleteStream(k);
        }
        String countKey = settings.partitionsKey(stream.value());
        channel.sync(CommandType.DEL, args().addKey(b(countKey)), "DEL " + countKey);
        return any;
    }

    /** Totals and each partition's figures. */
    StreamInfo info(StreamName stream, int n) {
        List<StreamInfo> each = new ArrayList<>(n);
        for (StreamKeys k : keys(stream, n)) {
            StreamInfo i = admin.info(k);
            each.add(i.exists() ? i : StreamInfo.empty(stream)); // a partition key not created yet: empty
        }
        return StreamInfo.ofPartitions(stream, each);
    }

    /** Length and age trims apply to every partition; {@code below(id)} to the id's partition. */
    long trim(StreamName stream, int n, Trim trim) {
        if (trim instanceof Trim.Below b) {
            return admin.trim(keyOf(stream, n, b.id(), "trim id"), Trim.below(b.id().local()));
        }
        long removed = 0;
        for (StreamKeys k : keys(stream, n)) {
            removed += admin.trim(k, trim);
        }
        return removed;
    }

    /**
     * The keys of the partition of a partitioned id; INVALID_ARGUMENT for a plain id or one of a
     * partition the stream does not have.
     */
    StreamKeys keyOf(StreamName stream, int n, EventId id, String what) {
        if (!id.isPartitioned() || id.partition() >= n || !id.isPair()) {
            throw StreamException.invalid(what + " " + id + " is not an id of stream " + stream.value() + ", which has "
                    + n + " partitions: give a partitioned id (partition/<ms>-<seq>), as appends return");
        }
        return settings.keys(stream, id.partition());
    }

    /**
     * Creates the group on every partition: from the start, the end, a time, or a cursor's position
     * for each partition; one id cannot say where the other partitions start (INVALID_ARGUMENT).
     */
    void createGroup(StreamName stream, int n, String group, GroupOptions options) {
        Position start = options.start();
        if (start instanceof Position.After a) {
            throw StreamException.invalid("a group of stream " + stream.value() + " (" + n
                    + " partitions) cannot start after the one id " + a.id()
                    + ": start it at earliest, latest, a time, or after a cursor of every partition");
        }
        List<StreamKeys> parts = keys(stream, n);
        for (int p = 0; p < n; p++) {
            Position mine = start;
            if (start instanceof Position.AfterCursor c) {
                mine = PartitionedRange.partitionStart(c.cursor(), n, p, stream);
            }
            admin.createGroup(parts.get(p), group, options.withStart(mine));
        }
    }

    /** Deletes the group from every partition; true if it existed in any. */
    boolean deleteGroup(StreamName stream, int n, String group) {
        boolean any = false;
        for (StreamKeys k : keys(stream, n)) {
            any |= admin.deleteGroup(k, group);
        }
        return any;
    }

    /** The group over every partition: pending and lag summed, members joined. */
    GroupInfo groupInfo(StreamName stream, int n, String group) {
        List<GroupInfo> each = new ArrayList<>(n);
        for (StreamKeys k : keys(stream, n)) {
            each.add(admin.groupInfo(k, group));
        }
        return sum(group, each);
    }

    /** Every group of the partitioned stream (the groups of partition 0, each summed over partitions). */
    List<GroupInfo> groups(StreamName stream, int n) {
        List<GroupInfo> out = new ArrayList<>();
        for (GroupInfo g : admin.groups(settings.keys(stream, 0))) {
            out.add(groupInfo(stream, n, g.group()));
        }
        return out;
    }

    /** The group exists on partition 0 (every partition gets it at once); NOT_FOUND otherwise. */
    void requireGroup(StreamName stream, String group) {
        StreamKeys first = settings.keys(stream, 0);
        if (!admin.groupExists(first, group)) {
            throw admin.groupNotFound(first, group);
        }
    }

    private static GroupInfo sum(String group, List<GroupInfo> each) {
        long pending = 0;
        long lag = 0;
        Set<String> members = new LinkedHashSet<>();
        Optional<EventId> last = Optional.empty();
        for (int p = 0; p < each.size(); p++) {
            GroupInfo g = each.get(p);
            pending += g.pending();
            lag = lag < 0 || g.lag() < 0 ? -1 : lag + g.lag();
            members.addAll(g.members());
            if (g.lastDelivered().isPresent()
                    && (last.isEmpty()
                            || g.lastDelivered().get().major() >= last.get().major())) {
                last = Optional.of(EventId.inPartition(p, g.lastDelivered().get()));
            }
        }
        return new GroupInfo(group, pending, lag, List.copyOf(members), last);
    }
}
