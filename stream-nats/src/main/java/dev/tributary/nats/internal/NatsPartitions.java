package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The partitions of Tributary's streams on JetStream: how many a stream has, and the operations that
 * touch every partition's JetStream stream (create, delete, info, trim).
 *
 * <p>A stream of one partition is one JetStream stream, named and on the subject it always had. A
 * stream of N partitions is N JetStream streams ({@link NatsNames#partitionTarget}), each with its own
 * leader in a cluster; each records the count in its description ({@code "... partition 3 of 6"}), so
 * another client, or this one restarted, finds it. The count is looked up once per stream and kept:
 * a one-partition stream is one {@code STREAM.INFO} of its own name, a partitioned one a second of its
 * partition 0. Partitions are created from the last to partition 0, so partition 0, the marker, appears
 * only once all the others exist.
 */
final class NatsPartitions {
    private static final Pattern COUNT = Pattern.compile("partition (\\d+) of (\\d+)");

    private final NatsAdmin admin;
    private final NatsNames names;
    private final ConcurrentMap<StreamName, Integer> known = new ConcurrentHashMap<>();

    NatsPartitions(NatsAdmin admin, NatsNames names) {
        this.admin = admin;
        this.names = names;
    }

    /** The description a partition's JetStream stream carries: it records the partition count. */
    static String description(StreamName stream, int partition, int count) {
        return "Tributary stream '" + stream + "': partition " + partition + " of " + count;
    }

    /** The partition count a description records, or -1 when it records none. */
    static int countOf(String description) {
        if (description == null) {
            return -1;
        }
        Matcher m = COUNT.matcher(description);
        if (!m.find() || m.group(2).length() > 5) {
            return -1;
        }
        return Integer.parseInt(m.group(2));
    }

    /** How many partitions {@code stream} has: 1 for a one-partition, adopted or missing stream. */
    int count(StreamName stream) {
        return Math.max(1, lookup(stream));
    }

    /** {@link #count}, with 0 for a stream that does not exist (not kept: it may be created). */
    int lookup(StreamName stream) {
        Integer n = known.get(stream);
        if (n != null) {
            return n;
        }
        NatsTarget own = names.target(stream);
        if (own.adopted()) {
            return 1;
        }
        String what = "looking up stream '" + stream + "'";
        if (admin.streamInfo(own.stream(), what) != null) {
            known.put(stream, 1);
            return 1;
        }
        NatsTarget first = names.partitionTarget(stream, 0);
        io.nats.client.api.StreamInfo si = admin.streamInfo(first.stream(), what);
        if (si == null) {
            return 0;
        }
        int count = countOf(si.getConfiguration().getDescription());
        if (count < 2 || count > dev.tributary.StreamOptions.MAX_PARTITIONS) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    what + ": JetStream stream " + first.stream() + " holds partition 0 but its description ("
                            + si.getConfiguration().getDescription() + ") does not record the partition count as '"
                            + description(stream, 0, 2) + "'; restore it or delete the stream's partitions");
        }
        known.put(stream, count);
        return count;
    }

    /** Keeps {@code count} as {@code stream}'s partition count (this client just created it). */
    void learned(StreamName stream, int count) {
        if (!names.target(stream).adopted()) {
            known.put(stream, count);
        }
    }

    /** Forgets what is known of {@code stream} (deleted, or found missing). */
    void forget(StreamName stream) {
        known.remove(stream);
    }

    /** Where partition {@code p} of {@code stream} lives. */
    NatsTarget target(StreamName stream, int p) {
        return names.partitionTarget(stream, p);
    }

    /**
     * Creates {@code stream} with {@code count} partitions unless it exists; an existing stream keeps
     * its count (a partitioned one whose creation was cut short gets its missing partitions).
     */
    void create(StreamName stream, int count) {
        int existing = lookup(stream);
        if (existing == 1) {
            return;
        }
        int n = existing > 1 ? existing : count;
        for (int p = n - 1; p >= 0; p--) {
            var config = admin.createStream(stream, target(stream, p), description(stream, p, n));
            int recorded = countOf(config.getDescription());
            if (recorded != n) {
                throw new StreamException(
                        ErrorKind.CONFIGURATION,
                        "creating stream '" + stream + "' of " + n + " partitions: JetStream stream "
                                + target(stream, p).stream() + " exists and records " + recorded
                                + " partitions; was the stream created concurrently with another count?");
            }
        }
        known.put(stream, n);
    }

    /** Deletes every partition (their groups go with them); false when none existed. */
    boolean delete(StreamName stream, int count) {
        boolean any = false;
        // partition 0, the marker, first: a stream cut short in its deletion is no longer found
        for (int p = 0; p < count; p++) {
            any |= admin.deleteStream(stream, target(stream, p));
        }
        forget(stream);
        return any;
    }

    /** Totals and one figure per partition, with plain ids. */
    StreamInfo info(StreamName stream, int count) {
        List<StreamInfo> each = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            each.add(admin.info(stream, target(stream, p)));
        }
        return StreamInfo.ofPartitions(stream, each);
    }

    /**
     * Trims every partition by length or age, or the id's partition below a partitioned id; answers
     * how many events went.
     */
    long trim(StreamName stream, int count, Trim trim) {
        if (trim instanceof Trim.Below b) {
            EventId id = b.id();
            if (!id.isPartitioned() || id.partition() >= count) {
                throw StreamException.invalid("trim below " + id + " on stream '" + stream + "' of " + count
                        + " partitions: name the partition's event with a partitioned id like 2/" + id.local());
            }
            return admin.trim(stream, target(stream, id.partition()), trim);
        }
        long removed = 0;
        for (int p = 0; p < count; p++) {
            removed += admin.trim(stream, target(stream, p), trim);
        }
        return removed;
    }

    /**
     * Each partition's start: the cursor's entries (it must cover {@code count} partitions), or
     * {@code from} for every partition. One id cannot say where the other partitions stand.
     */
    static List<Position> starts(StreamName stream, int count, Position from, String what) {
        if (from instanceof Position.After a) {
            throw StreamException.invalid(what + " of '" + stream + "' after " + a.id() + " refused: the stream has "
                    + count + " partitions and one id does not say where the others stand; start after a cursor"
                    + " (Position.after(reader.cursor())) instead");
        }
        if (from instanceof Position.AfterCursor c) {
            if (c.cursor().partitionCount() != count) {
                throw StreamException.invalid(what + " of '" + stream + "': cursor " + c.cursor() + " covers "
                        + c.cursor().partitionCount() + " partitions, the stream has " + count);
            }
            return c.cursor().positions();
        }
        return java.util.Collections.nCopies(count, from);
    }

    /**
     * Opens one reader or group member per partition, in partition order; when one fails to open, the
     * ones already open are closed and the failure is thrown.
     */
    static <T> List<T> openEach(int count, IntFunction<T> open, Consumer<T> close) {
        List<T> opened = new ArrayList<>(count);
        try {
            for (int p = 0; p < count; p++) {
                opened.add(open.apply(p));
            }
        } catch (RuntimeException e) {
            opened.forEach(close);
            throw e;
        }
        return opened;
    }

    /** What polls one partition: its reader, or its member of a group. */
    interface PartitionPoll {
        List<StreamEvent> poll(int maxCount, Duration wait);
    }

    /** Polls partition {@code p} of a stream; its DATA_LOSS comes named ({@link #inPartition}). */
    static List<StreamEvent> poll(StreamName stream, int p, PartitionPoll partition, int maxCount, Duration wait) {
        try {
            return partition.poll(maxCount, wait);
        } catch (StreamException e) {
            throw inPartition(e, stream, p);
        }
    }

    /** A partition's DATA_LOSS, named: {@code partition 2 of 'orders': ...}. */
    static StreamException inPartition(StreamException e, StreamName stream, int p) {
        if (e.kind() != ErrorKind.DATA_LOSS) {
            return e;
        }
        return new StreamException(
                ErrorKind.DATA_LOSS, "partition " + p + " of '" + stream + "': " + e.getMessage(), e);
    }
}
