package dev.tributary.spi;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.Headers;
import dev.tributary.Limits;
import dev.tributary.Position;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.Trim;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Argument checks every backend runs before any I/O, so that bad input fails the same way on every
 * backend. All failures are {@link ErrorKind#INVALID_ARGUMENT}, {@link ErrorKind#TOO_LARGE} or
 * {@link ErrorKind#UNSUPPORTED}.
 */
public final class Checks {
    /** The longest wait a poll accepts. */
    public static final Duration MAX_WAIT = Duration.ofHours(1);

    private Checks() {}

    /** A non-null stream name (the record validated its grammar). */
    public static StreamName stream(StreamName stream) {
        if (stream == null) {
            throw StreamException.invalid("stream name must not be null");
        }
        return stream;
    }

    /** A group name: the stream-name grammar. */
    public static String group(String group) {
        return StreamName.check(group, "group name");
    }

    /** A member name: the stream-name grammar. */
    public static String member(String member) {
        return StreamName.check(member, "member name");
    }

    /** A read count: 1 to {@code limits.maxReadCount()}. */
    public static int count(int maxCount, Limits limits) {
        if (maxCount < 1 || maxCount > limits.maxReadCount()) {
            throw StreamException.invalid("count must be 1 to " + limits.maxReadCount() + ", got " + maxCount);
        }
        return maxCount;
    }

    /** A wait: 0 (do not block) to {@link #MAX_WAIT}. */
    public static Duration wait(Duration wait) {
        if (wait == null) {
            throw StreamException.invalid("wait must not be null (use Duration.ZERO not to block)");
        }
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw StreamException.invalid("wait must be 0 to 1 h, got " + wait);
        }
        return wait;
    }

    /**
     * A position, with TIME_POSITION checked. For a backend without PARTITIONED, a one-partition
     * cursor becomes its one position, and a cursor of several partitions or a partitioned id is
     * refused: such a backend's streams have one partition.
     */
    public static Position position(Position p, Set<Capability> caps, String backend) {
        if (p == null) {
            throw StreamException.invalid("position must not be null");
        }
        if (p instanceof Position.AfterCursor c) {
            for (Position each : c.cursor().positions()) {
                position(each, caps, backend);
            }
            if (!caps.contains(Capability.PARTITIONED)) {
                if (c.cursor().partitionCount() != 1) {
                    throw StreamException.invalid("cursor " + c.cursor() + " covers "
                            + c.cursor().partitionCount() + " partitions, but every " + backend + " stream has one");
                }
                return c.cursor().position(0);
            }
            return p;
        }
        if (p instanceof Position.AtTime && !caps.contains(Capability.TIME_POSITION)) {
            throw StreamException.unsupported(Capability.TIME_POSITION, backend);
        }
        if (p instanceof Position.After a && a.id().isPartitioned() && !caps.contains(Capability.PARTITIONED)) {
            throw StreamException.invalid(
                    "'" + a.id() + "' is a partitioned id, but every " + backend + " stream has one partition");
        }
        return p;
    }

    /** A record within the backend's limits. */
    public static StreamRecord record(StreamRecord r, Limits limits) {
        if (r == null) {
            throw StreamException.invalid("record must not be null");
        }
        if (r.payload().length > limits.maxPayloadBytes()) {
            throw new StreamException(
                    ErrorKind.TOO_LARGE,
                    "payload is " + r.payload().length + " bytes; this backend accepts at most "
                            + limits.maxPayloadBytes());
        }
        long meta = (long) r.headers().byteSize() + (r.key() == null ? 0 : r.key().length);
        if (meta > limits.maxHeaderBytes()) {
            throw StreamException.invalid(
                    "key and headers are " + meta + " bytes; this backend accepts at most " + limits.maxHeaderBytes());
        }
        return r;
    }

    /** A non-empty batch within the limits, each record checked. */
    public static List<StreamRecord> batch(List<StreamRecord> records, Limits limits) {
        if (records == null) {
            throw StreamException.invalid("record list must not be null");
        }
        if (records.isEmpty() || records.size() > limits.maxBatchSize()) {
            throw StreamException.invalid(
                    "a batch holds 1 to " + limits.maxBatchSize() + " records, got " + records.size());
        }
        for (StreamRecord r : records) {
            record(r, limits);
        }
        return records;
    }

    /** A trim request whose capability is declared. */
    public static Trim trim(Trim trim, Set<Capability> caps, String backend) {
        if (trim == null) {
            throw StreamException.invalid("trim must not be null");
        }
        Capability needed;
        if (trim instanceof Trim.ToLength) {
            needed = Capability.TRIM_BY_LENGTH;
        } else if (trim instanceof Trim.OlderThan) {
            needed = Capability.TRIM_BY_AGE;
        } else {
            needed = Capability.TRIM_BY_ID;
        }
        if (!caps.contains(needed)) {
            throw StreamException.unsupported(needed, backend);
        }
        return trim;
    }

    /** Fails with UNSUPPORTED unless {@code c} is declared. */
    public static void capability(Capability c, Set<Capability> caps, String backend) {
        if (!caps.contains(c)) {
            throw StreamException.unsupported(c, backend);
        }
    }

    /** The UTF-8 size of headers (for backends that account their own limits). */
    public static int headerBytes(Headers h) {
        return h.byteSize();
    }
}
