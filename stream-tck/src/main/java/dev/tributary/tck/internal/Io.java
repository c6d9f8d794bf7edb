package dev.tributary.tck.internal;

import dev.tributary.EventId;
import dev.tributary.GroupConsumer;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamReader;
import dev.tributary.StreamRecord;
import dev.tributary.tck.Tck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/** Record making and reading helpers shared by the rule bodies. Every wait is bounded. */
public final class Io {
    /** The header that carries a record's identity in the kit's records. */
    public static final String KEY_HEADER = "tck-key";

    private Io() {}

    /** A record whose payload and {@value #KEY_HEADER} header are {@code key}. */
    public static StreamRecord rec(String key) {
        return StreamRecord.builder().payload(key).header(KEY_HEADER, key).build();
    }

    /** A record with identity {@code key} and partition key {@code partitionKey}. */
    public static StreamRecord rec(String key, String partitionKey) {
        return StreamRecord.builder()
                .payload(key)
                .key(partitionKey)
                .header(KEY_HEADER, key)
                .build();
    }

    /** The identity of an event written by {@link #rec}. */
    public static String keyOf(StreamEvent e) {
        return e.headers().first(KEY_HEADER).orElse("<no " + KEY_HEADER + " header: " + e.payloadAsString() + ">");
    }

    /** Appends {@code n} records with keys {@code prefix/0 … prefix/n-1} one at a time; returns their ids. */
    public static List<EventId> append(StreamClient c, StreamName s, String prefix, int n) {
        List<EventId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(c.append(s, rec(prefix + "/" + i)));
        }
        return ids;
    }

    /** Waits for a future within a scaled bound, unwrapping its failure. */
    public static <T> T await(CompletableFuture<T> f, Duration bound) {
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("an append future did not complete within " + bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw dev.tributary.StreamException.unwrap(e);
        }
    }

    /** Polls {@code r} until {@code n} events arrived or {@code bound} passed; returns what arrived. */
    public static List<StreamEvent> read(StreamReader r, int n, Duration bound) {
        List<StreamEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + bound.toNanos();
        while (out.size() < n
                && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            int want = Math.min(n - out.size(), 100);
            out.addAll(r.poll(want, Duration.ofMillis(Math.min(left, 250))));
        }
        return out;
    }

    /** Opens a reader at {@code from} and reads up to {@code n} events within a scaled 10 s. */
    public static List<StreamEvent> read(StreamClient c, StreamName s, Position from, int n) {
        try (StreamReader r = c.openReader(s, from)) {
            return read(r, n, Tck.scaled(Duration.ofSeconds(10)));
        }
    }

    /** After reading {@code n}, polls once more briefly to catch anything extra. */
    public static List<StreamEvent> readExactly(StreamClient c, StreamName s, Position from, int n) {
        try (StreamReader r = c.openReader(s, from)) {
            List<StreamEvent> out = read(r, n, Tck.scaled(Duration.ofSeconds(10)));
            out.addAll(r.poll(100, Tck.scaledMillis(100)));
            return out;
        }
    }

    /**
     * Reads everything retained from {@code from}: polls until a poll with a short wait returns
     * nothing (for checks of what a trim kept, where the count is what is being checked).
     */
    public static List<StreamEvent> readAvailable(StreamClient c, StreamName s, Position from) {
        List<StreamEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(30)).toNanos();
        try (StreamReader r = c.openReader(s, from)) {
            while (System.nanoTime() < deadline) {
                List<StreamEvent> got = r.poll(100, Tck.scaledMillis(200));
                if (got.isEmpty()) {
                    break;
                }
                out.addAll(got);
            }
        }
        return out;
    }

    /**
     * Reads from {@code from} with one reader until the event the stream's info names as its last has
     * been read, or a scaled 30 s passed — not until the first empty poll: right after a broker or a
     * cluster restarted, a poll can come back empty while the newest events are stored (a consumer
     * whose leader is still settling), and stopping there would report them lost. For streams of one
     * partition, or of several (then until the newest id itself is read).
     */
    public static List<StreamEvent> readToLast(StreamClient c, StreamName s, Position from) {
        Optional<EventId> last = c.info(s).lastId();
        if (last.isEmpty()) {
            return List.of();
        }
        List<StreamEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + Tck.scaled(Duration.ofSeconds(30)).toNanos();
        try (StreamReader r = c.openReader(s, from)) {
            while (System.nanoTime() < deadline) {
                List<StreamEvent> got = r.poll(100, Tck.scaledMillis(200));
                out.addAll(got);
                EventId newest = last.get();
                if (got.stream()
                        .anyMatch(e -> e.id().equals(newest) || (!e.id().isPartitioned() && !newest.isAfter(e.id())))) {
                    break;
                }
            }
        }
        return out;
    }

    /** Polls a group member until {@code n} events arrived or {@code bound} passed, acking each batch if asked. */
    public static List<StreamEvent> poll(GroupConsumer g, int n, Duration bound, boolean ack) {
        List<StreamEvent> out = new ArrayList<>();
        pollInto(g, out, got -> n - out.size(), bound, ack);
        return out;
    }

    /**
     * Polls a group member until every id of {@code wanted} arrived or {@code bound} passed, acking each
     * batch if asked; returns every delivery, a second delivery of an event included.
     */
    public static List<StreamEvent> pollUntilAll(GroupConsumer g, Set<EventId> wanted, Duration bound, boolean ack) {
        List<StreamEvent> out = new ArrayList<>();
        Set<EventId> missing = new HashSet<>(wanted);
        pollInto(
                g,
                out,
                got -> {
                    missing.removeAll(ids(got));
                    return missing.size();
                },
                bound,
                ack);
        return out;
    }

    /**
     * Polls into {@code out} while {@code wanted} — given the last batch (empty before the first poll), it
     * answers how many more to ask for — is positive, within {@code bound}.
     */
    private static void pollInto(
            GroupConsumer g,
            List<StreamEvent> out,
            ToIntFunction<List<StreamEvent>> wanted,
            Duration bound,
            boolean ack) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<StreamEvent> got = List.of();
        int more;
        while ((more = wanted.applyAsInt(got)) > 0
                && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            got = g.poll(Math.min(more, 100), Duration.ofMillis(100));
            if (ack && !got.isEmpty()) {
                g.ack(ids(got));
            }
            out.addAll(got);
        }
    }

    public static List<EventId> ids(List<StreamEvent> events) {
        List<EventId> ids = new ArrayList<>(events.size());
        for (StreamEvent e : events) {
            ids.add(e.id());
        }
        return ids;
    }

    public static List<String> keys(List<StreamEvent> events) {
        List<String> keys = new ArrayList<>(events.size());
        for (StreamEvent e : events) {
            keys.add(keyOf(e));
        }
        return keys;
    }

    /** {@code prefix/0 … prefix/n-1}. */
    public static List<String> expectedKeys(String prefix, int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add(prefix + "/" + i);
        }
        return keys;
    }

    /** An id of the same form as {@code like} and far after it (never assigned during a run). */
    public static EventId farAfter(EventId like) {
        return like.isPair()
                ? EventId.of(like.major() + 1_000_000_000L, 0)
                : EventId.ofSequence(like.sequence() + 1_000_000_000L);
    }
}
