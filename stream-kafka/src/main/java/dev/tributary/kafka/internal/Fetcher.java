package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads of one partition by offset with the pooled reader consumers: the shared path of tail
 * readers, range reads ({@link Ranges}) and {@code info}. An empty answer means there was nothing to read, never a
 * broker failure; reading below the retained head is a DATA_LOSS gap.
 */
final class Fetcher {
    private final StreamOps streams;
    private final ConsumerPool pool;
    private final BooleanSupplier clientClosed;

    Fetcher(StreamOps streams, ConsumerPool pool, BooleanSupplier clientClosed) {
        this.streams = streams;
        this.pool = pool;
        this.clientClosed = clientClosed;
    }

    /** What one fetch returned and where the cursor stands after it. */
    record Fetch(List<StreamEvent> events, long next) {}

    private Duration requestTimeout() {
        return streams.settings().requestTimeout();
    }

    /**
     * Reads up to {@code maxCount} events of one partition from offset {@code from} (inclusive) up to
     * {@code limit} (exclusive) with a pooled consumer, waiting up to {@code wait} for the first.
     * Records the consumer fetched beyond {@code maxCount} or {@code limit} stay in the lease's
     * read-ahead, and a later fetch from where this one ended takes them without a seek or a poll.
     * When the wait runs out but the partition holds events at or after {@code from}, it keeps
     * fetching them for up to the request timeout, and fails RETRYABLE if they do not come.
     * {@code reader} holds the lease while it is in use (so a reader's close can wake it);
     * a wakeup ends the fetch CLOSED once the reader or the client is closed.
     */
    Fetch fetch(
            StreamName stream, int partition, long from, long limit, int maxCount, Duration wait, ActiveLease reader) {
        return fetch(stream, partition, from, limit, maxCount, wait, reader, true);
    }

    /**
     * What one partition has ready: the lease's read-ahead, or one poll without waiting (which also
     * starts the consumer's next fetch). Unlike {@link #fetch} it does not ask the broker whether more
     * exists, so it costs no admin round trip: an empty answer only means "nothing fetched yet". For
     * readers that look at several partitions and wait on one of them at a time.
     */
    Fetch fetchReady(StreamName stream, int partition, long from, int maxCount, ActiveLease reader) {
        return fetch(stream, partition, from, Long.MAX_VALUE, maxCount, Duration.ZERO, reader, false);
    }

    private Fetch fetch(
            StreamName stream,
            int partition,
            long from,
            long limit,
            int maxCount,
            Duration wait,
            ActiveLease reader,
            boolean settle) {
        TopicPartition tp = new TopicPartition(streams.topic(stream), partition);
        ConsumerPool.Lease lease = pool.borrow(tp, wait.plus(requestTimeout()));
        boolean healthy = true;
        reader.set(lease);
        long cursor = from;
        List<StreamEvent> out = new ArrayList<>(Math.min(maxCount, 1024));
        try {
            if (reader.readerClosed()) {
                throw StreamException.closed("reader of " + stream);
            }
            lease.position(tp, from);
            long deadline = System.nanoTime() + wait.toNanos();
            boolean endChecked = false;
            boolean partitionedIds = streams.settings().partitioned();
            while (true) {
                // what an earlier poll fetched beyond its borrower's batch is served first; poll only when none is left
                if (lease.readAhead() == 0) {
                    long left = deadline - System.nanoTime();
                    ConsumerRecords<byte[], byte[]> recs;
                    try {
                        recs = lease.consumer.poll(Duration.ofNanos(Math.max(0, left)));
                    } catch (WakeupException e) {
                        if (clientClosed.getAsBoolean() || reader.readerClosed()) {
                            throw StreamException.closed(
                                    clientClosed.getAsBoolean() ? "Kafka client" : "reader of " + stream);
                        }
                        continue; // a stale wakeup meant for the lease's previous borrower
                    }
                    for (ConsumerRecord<byte[], byte[]> rec : recs.records(tp)) {
                        if (rec.offset() >= cursor && !lease.keep(rec)) {
                            break; // the read-ahead is full: the consumer was moved back to this record
                        }
                    }
                }
                while (out.size() < maxCount) {
                    ConsumerRecord<byte[], byte[]> rec = lease.peek();
                    if (rec == null || rec.offset() >= limit) {
                        break;
                    }
                    lease.take();
                    if (rec.offset() >= cursor) {
                        out.add(Records.toEvent(stream, rec, partitionedIds, 1));
                        cursor = rec.offset() + 1;
                    }
                }
                // no record exists between the cursor and the next one fetched (or the consumer's position)
                ConsumerRecord<byte[], byte[]> ahead = lease.peek();
                long fetchedTo = ahead != null ? ahead.offset() : lease.consumer.position(tp);
                cursor = Math.max(cursor, Math.min(limit, fetchedTo));
                if (!out.isEmpty() || cursor >= limit) {
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    if (!settle) {
                        break;
                    }
                    long end = endOffset(tp);
                    if (endChecked) {
                        if (cursor < Math.min(end, limit)) {
                            throw new StreamException(
                                    ErrorKind.RETRYABLE,
                                    "events from offset " + cursor + " of " + stream
                                            + " exist but could not be fetched within " + requestTimeout());
                        }
                        break;
                    }
                    endChecked = true;
                    if (cursor >= Math.min(end, limit)) {
                        break;
                    }
                    deadline = System.nanoTime() + requestTimeout().toNanos();
                }
            }
            lease.positionedAt(cursor);
            return new Fetch(out, cursor);
        } catch (OffsetOutOfRangeException e) {
            lease.forget();
            long begin =
                    streams.admin().beginning(List.of(tp)).map(m -> m.get(tp)).orElse(0L);
            if (from < begin) {
                throw gap(where(stream, partition), from, begin, e);
            }
            long end = endOffset(tp);
            if (from > end) {
                throw wentBack(stream, from, end, e);
            }
            return new Fetch(List.of(), from);
        } catch (StreamException e) {
            lease.forget();
            throw e;
        } catch (KafkaException e) {
            healthy = false;
            throw KafkaErrors.map("reading " + stream, e);
        } finally {
            reader.set(null);
            pool.release(lease, healthy && !clientClosed.getAsBoolean());
        }
    }

    /** The one event at {@code from} (below {@code limit}), or null. */
    StreamEvent one(StreamName stream, int partition, long from, long limit) {
        Fetch f = fetch(stream, partition, from, limit, 1, Duration.ZERO, ActiveLease.none());
        return f.events().isEmpty() ? null : f.events().get(0);
    }

    private long endOffset(TopicPartition tp) {
        return streams.admin().end(List.of(tp)).map(m -> m.get(tp)).orElse(0L);
    }

    /** "orders", or "partition 2 of orders" on a partitioned stream: what a DATA_LOSS names. */
    private String where(StreamName stream, int partition) {
        return streams.settings().partitioned() ? "partition " + partition + " of " + stream : stream.toString();
    }

    static StreamException gap(Object stream, long from, long begin, Throwable cause) {
        return new StreamException(
                ErrorKind.DATA_LOSS,
                "events " + from + " to " + (begin - 1) + " of " + stream
                        + " were trimmed before they were read (the oldest retained offset is " + begin
                        + "); reopen at earliest to go on, or fail",
                cause);
    }

    /**
     * The stream ends below a position that was read up to: the topic was deleted and created again, or
     * the broker lost its log — the events between are gone, and new ones will take their offsets.
     */
    static StreamException wentBack(StreamName stream, long from, long end, Throwable cause) {
        return new StreamException(
                ErrorKind.DATA_LOSS,
                stream + " now ends at offset " + end + ", below the position "
                        + from
                        + " read up to: the topic was deleted and created again, or the broker lost its data; events "
                        + "written at offsets " + end
                        + " and above are new ones; reopen at earliest or latest to go on",
                cause);
    }

    /**
     * Every event of one partition from {@code start} up to {@code limit} (exclusive), up to
     * {@code maxCount}, in as many fetches as it takes: the loop of a range read.
     */
    List<StreamEvent> readAll(StreamName stream, int partition, long start, long limit, int maxCount) {
        List<StreamEvent> out = new ArrayList<>();
        long cursor = start;
        while (out.size() < maxCount && cursor < limit) {
            Fetch f = fetch(stream, partition, cursor, limit, maxCount - out.size(), Duration.ZERO, ActiveLease.none());
            if (f.events().isEmpty() && f.next() <= cursor) {
                break;
            }
            out.addAll(f.events());
            cursor = f.next();
        }
        return out;
    }

    /** Where partition {@code tp} starts for {@code p} (earliest, after a plain offset, or a time). */
    long startOf(StreamName stream, TopicPartition tp, Position p, long begin, long end) {
        if (p instanceof Position.After a) {
            long start = Records.offset(a.id(), false) + 1;
            if (start < begin) {
                throw gap(where(stream, tp.partition()), start, begin, null);
            }
            if (start > end) {
                throw wentBack(stream, start, end, null);
            }
            return start;
        }
        if (p instanceof Position.AtTime t) {
            return streams.admin()
                    .forTime(List.of(tp), t.time().toEpochMilli())
                    .map(m -> m.get(tp))
                    .orElse(end);
        }
        return begin;
    }

    /**
     * The first offset to read in each partition for {@code starts} (one per partition: earliest, after a
     * plain offset, or a time), or null when the stream does not exist.
     */
    long[] resolveStarts(StreamName stream, List<Position> starts) {
        OptionalInt n = streams.partitions(stream);
        if (n.isEmpty()) {
            return null;
        }
        List<TopicPartition> tps = AdminOps.tps(streams.topic(stream), n.getAsInt());
        if (starts.size() != tps.size()) {
            throw StreamException.invalid(
                    "stream " + stream + " has " + tps.size() + " partitions, the reader's cursor " + starts.size());
        }
        Optional<Map<TopicPartition, Long>> begins = streams.admin().beginning(tps);
        Optional<Map<TopicPartition, Long>> ends = streams.admin().end(tps);
        if (begins.isEmpty() || ends.isEmpty()) {
            return null;
        }
        long[] out = new long[tps.size()];
        for (TopicPartition tp : tps) {
            // after an offset below the retained head (or beyond the end) fails DATA_LOSS here, naming the partition
            out[tp.partition()] = startOf(
                    stream,
                    tp,
                    starts.get(tp.partition()),
                    begins.get().get(tp),
                    ends.get().get(tp));
        }
        return out;
    }

    /** The end offset of each partition of a stream, or null when it does not exist. */
    long[] ends(StreamName stream) {
        OptionalInt n = streams.partitions(stream);
        if (n.isEmpty()) {
            return null;
        }
        List<TopicPartition> tps = AdminOps.tps(streams.topic(stream), n.getAsInt());
        Optional<Map<TopicPartition, Long>> ends = streams.admin().end(tps);
        if (ends.isEmpty()) {
            return null;
        }
        long[] out = new long[tps.size()];
        tps.forEach(tp -> out[tp.partition()] = ends.get().get(tp));
        return out;
    }

    /** The first offset to read for a start position of a one-partition stream, or -1 when it does not exist. */
    long resolveStart(StreamName stream, Position start) {
        OptionalInt n = streams.partitions(stream);
        if (n.isEmpty()) {
            return -1;
        }
        if (start instanceof Position.After a) {
            return Records.offset(a.id(), false) + 1;
        }
        List<TopicPartition> tps = AdminOps.tps(streams.topic(stream), 1);
        AdminOps admin = streams.admin();
        Optional<Map<TopicPartition, Long>> r;
        if (start instanceof Position.AtTime t) {
            r = admin.forTime(tps, t.time().toEpochMilli());
        } else if (start instanceof Position.Latest) {
            r = admin.end(tps);
        } else {
            r = admin.beginning(tps);
        }
        return r.map(m -> m.get(tps.get(0))).orElse(-1L);
    }

    /** The end offset of a one-partition stream (0 when it does not exist). */
    long end(StreamName stream) {
        if (streams.partitions(stream).isEmpty()) {
            return 0;
        }
        return streams.admin()
                .end(AdminOps.tps(streams.topic(stream), 1))
                .map(m -> m.values().iterator().next())
                .orElse(0L);
    }

    /** Whether the stream's topic exists now (asks the broker). */
    boolean exists(StreamName stream) {
        return streams.admin().refresh(streams.topic(stream)).isPresent();
    }
}
