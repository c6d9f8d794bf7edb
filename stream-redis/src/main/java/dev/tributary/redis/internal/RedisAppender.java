package dev.tributary.redis.internal;

import static dev.tributary.redis.internal.CommandChannel.args;
import static dev.tributary.redis.internal.CommandChannel.b;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;
import dev.tributary.StreamRecord;
import dev.tributary.spi.AppendWindow;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Appends on the shared {@link CommandChannel}, in the client's {@link AppendWindow}. A plain record
 * is {@code XADD key [MAXLEN ~ n] * fields…}; a record with an idempotency id runs
 * {@link Script#IDEMPOTENT_APPEND}. Each append takes room in the window, is marked
 * {@linkplain AppendWindow.Append#sent() sent} just before it is written (from then on the server
 * may store it, so a lost answer is INDETERMINATE, never CLOSED), and completes from the reply. A
 * plain {@code XADD} has no Lettuce timeout: the window's deadline is its one bound. A batch takes
 * room for all its records at once, is written in order and flushed once; a run of idempotent
 * records in it goes in one script call (up to {@value #SCRIPT_BATCH} records).
 *
 * <p>Single idempotent appends (what a {@code Publisher} sends) are gathered too: an idempotent
 * {@link #append} joins the <em>pending run</em> of its stream, and the run is written as one script
 * call when the connection's next flush runs ({@link #writePending}, called by the {@link Flusher}
 * just before it flushes), when it holds {@value #SCRIPT_BATCH} records, or before this client
 * writes any other append — so the appends of one thread still reach the server in call order. A
 * lone append is written at the next flush, which runs at once on an idle connection; a burst while
 * the connection is busy shares one call (one round of the script's lookups and trimming, one copy
 * of its body on the wire) instead of one call per event. An append in the run is not
 * {@linkplain AppendWindow.Append#sent() sent}: if it expires or the client closes before the run
 * is written, it is dropped from the run and fails RETRYABLE or CLOSED (never written).
 *
 * <p>With {@code waitReplicas=N} each append (each batch) is followed on the same connection by
 * {@code WAIT N waitTimeout}; it succeeds only when N replicas acknowledged it, else it fails
 * INDETERMINATE (stored on the primary, but a failover may lose it) — never OK. Thread-safe.
 */
final class RedisAppender {
    /** Most headers of an idempotent record: the script passes every field as an argument to unpack(). */
    static final int MAX_IDEMPOTENT_HEADERS = 3900;

    private final RedisSettings settings;
    private final EntryCodec codec;
    private final CommandChannel channel;
    private final AppendWindow window;
    /** The key of the stream appended to last (appends usually go to one stream in a row). */
    private volatile StreamKey lastKey;

    /** Guards {@link #run}; held while a run is written, so runs reach the connection in order. */
    private final Object runLock = new Object();
    /** Idempotent single appends of one stream not yet written, oldest first; guarded by {@link #runLock}. */
    private final List<Pending> run = new ArrayList<>(SCRIPT_BATCH);
    /** {@code run.size()}, readable without the lock. */
    private volatile int runSize;

    /** One idempotent append waiting in the pending run, its arguments encoded by the caller's thread. */
    // encoded command arguments, never compared: the record's equals is not used
    @SuppressWarnings("ArrayRecordComponent")
    private record Pending(
            StreamKey key, StreamRecord record, byte[] iid, List<byte[]> fields, AppendWindow.Append<EventId> a) {}

    /** A stream's key and its dedup keys, with the script's fixed arguments, encoded once. */
    // encoded command arguments, cached per stream and never compared: the record's equals is not used
    @SuppressWarnings("ArrayRecordComponent")
    record StreamKey(
            StreamKeys keys,
            String key,
            byte[] bytes,
            byte[] dedupIds,
            byte[] dedupTimes,
            byte[] dedupWindow,
            byte[] dedupMaxIds,
            byte[] maxLen) {}

    /** Most idempotent records of a batch sent in one script call. */
    static final int SCRIPT_BATCH = 128;

    RedisAppender(RedisSettings settings, EntryCodec codec, CommandChannel channel, AppendWindow window) {
        this.settings = settings;
        this.codec = codec;
        this.channel = channel;
        this.window = window;
    }

    /** INVALID_ARGUMENT for a record the idempotent script cannot carry; run before any I/O. */
    static void checkRecord(StreamRecord record) {
        if (record.idempotencyId() != null && record.headers().size() > MAX_IDEMPOTENT_HEADERS) {
            throw StreamException.invalid("an idempotent append carries at most " + MAX_IDEMPOTENT_HEADERS
                    + " headers on Redis; this record has " + record.headers().size());
        }
    }

    CompletableFuture<EventId> append(StreamKeys stream, StreamRecord record) {
        checkRecord(record);
        AppendWindow.Append<EventId> a = window.open(1);
        if (a.isDone()) {
            return a; // BACKPRESSURE, CLOSED or interrupted: nothing was written
        }
        StreamKey key = streamKey(stream);
        if (record.idempotencyId() != null && settings.waitReplicas == 0) {
            try {
                join(key, record, a);
            } catch (RuntimeException e) {
                a.fail(RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD " + key.key(), channel.isClosing()));
            } finally {
                channel.flush(); // the flush writes the run
            }
            return a;
        }
        writePending(); // this thread's idempotent appends still in the run go first
        try {
            CompletableFuture<Object> reply = send(key, record, a);
            var unused =
                    durable(key, reply, replicaWait(key)).whenComplete((r, e) -> settle(a, key.key(), record, r, e));
        } catch (RuntimeException e) {
            a.fail(RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD " + key.key(), channel.isClosing()));
        } finally {
            channel.flush();
        }
        return a;
    }

    CompletableFuture<List<EventId>> appendBatch(StreamKeys stream, List<StreamRecord> records) {
        records.forEach(RedisAppender::checkRecord);
        AppendWindow.Append<List<EventId>> a = window.open(records.size());
        if (a.isDone()) {
            return a;
        }
        StreamKey key = streamKey(stream);
        @SuppressWarnings("unchecked")
        CompletableFuture<EventId>[] ids = new CompletableFuture[records.size()];
        writePending(); // this thread's idempotent appends still in the run go first
        try {
            List<CompletableFuture<Object>> replies = new ArrayList<>(ids.length);
            for (int i = 0; i < records.size(); ) {
                if (records.get(i).idempotencyId() == null) {
                    replies.add(send(key, records.get(i), a));
                    i++;
                    continue;
                }
                // a run of idempotent records goes in one script call: one round of the script's
                // lookups and trimming for many records; each record's reply is its pair of the answer
                int end = i;
                while (end < records.size()
                        && end - i < SCRIPT_BATCH
                        && records.get(end).idempotencyId() != null) {
                    end++;
                }
                requireDedupKeys(key);
                a.sent();
                CompletableFuture<Object> call = sendIdempotent(key, encode(records.subList(i, end)), end - i);
                for (int k = 0; k < end - i; k++) {
                    replies.add(pairOf(call, k));
                }
                i = end;
            }
            CompletableFuture<Object> wait = replicaWait(key); // one WAIT covers the whole batch
            for (int i = 0; i < ids.length; i++) {
                CompletableFuture<EventId> one = new CompletableFuture<>();
                StreamRecord record = records.get(i);
                var unused =
                        durable(key, replies.get(i), wait).whenComplete((r, e) -> settle(one, key.key(), record, r, e));
                ids[i] = one;
            }
        } catch (RuntimeException e) {
            a.fail(RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD " + key.key(), channel.isClosing()));
            return a; // records written before the failure are stored or not; the kind says so
        } finally {
            channel.flush(); // one flush for the whole batch
        }
        var unused = CompletableFuture.allOf(ids).whenComplete((v, e) -> {
            List<EventId> out = new ArrayList<>(ids.length);
            for (CompletableFuture<EventId> f : ids) {
                try {
                    out.add(f.join());
                } catch (CompletionException | CancellationException failed) {
                    a.fail(RedisErrors.unwrap(failed)); // the first failure in order; earlier records are stored
                    return;
                }
            }
            a.complete(out);
        });
        return a;
    }

    /**
     * Adds an idempotent append to the pending run (writing the run first when it belongs to another
     * stream, and after it when it is full). The caller requests a flush, which writes the rest.
     */
    private void join(StreamKey key, StreamRecord record, AppendWindow.Append<EventId> a) {
        requireDedupKeys(key);
        Pending p = new Pending(key, record, b(record.idempotencyId()), codec.fields(record), a);
        synchronized (runLock) {
            if (!run.isEmpty() && !run.get(0).key().key().equals(key.key())) {
                writeRun();
            }
            run.add(p);
            runSize = run.size();
            if (run.size() >= SCRIPT_BATCH) {
                writeRun();
            }
        }
    }

    /**
     * Writes the pending run, if any, as one script call (no flush). Called before any other append
     * of this client is written, and by the {@link Flusher} just before it flushes.
     */
    void writePending() {
        if (runSize > 0) {
            synchronized (runLock) {
                writeRun();
            }
        }
    }

    /** Writes the run; holds {@link #runLock}. Appends already settled (expired, closed) are left out. */
    private void writeRun() {
        List<Pending> todo = new ArrayList<>(run.size());
        for (Pending p : run) {
            if (!p.a().isDone()) {
                todo.add(p);
            }
        }
        run.clear();
        runSize = 0;
        if (todo.isEmpty()) {
            return;
        }
        StreamKey key = todo.get(0).key();
        List<byte[]> argv = new ArrayList<>(todo.size() * 8);
        for (Pending p : todo) {
            addRecord(argv, p.iid(), p.fields());
            p.a().sent();
        }
        CompletableFuture<Object> call;
        try {
            call = sendIdempotent(key, argv, todo.size());
        } catch (RuntimeException e) {
            StreamException err = RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD " + key.key(), channel.isClosing());
            todo.forEach(p -> p.a().fail(err));
            return;
        }
        for (int k = 0; k < todo.size(); k++) {
            Pending p = todo.get(k);
            var unused = pairOf(call, k).whenComplete((r, e) -> settle(p.a(), key.key(), p.record(), r, e));
        }
    }

    /** The reply of the {@code k}-th record of one script call: its pair (stored?, id). */
    private static CompletableFuture<Object> pairOf(CompletableFuture<Object> call, int k) {
        int at = 2 * k;
        return call.thenApply(r -> Resp.list(r, "idempotent append").subList(at, at + 2));
    }

    /** Marks {@code a} sent and writes one append (no flush); the reply's future. */
    private CompletableFuture<Object> send(StreamKey key, StreamRecord record, AppendWindow.Append<?> a) {
        if (record.idempotencyId() != null) {
            requireDedupKeys(key);
            a.sent();
            return pairOf(sendIdempotent(key, encode(List.of(record)), 1), 0);
        }
        CommandArgs<byte[], byte[]> args = args().addKey(key.bytes());
        if (settings.appendMaxLen > 0) {
            args.add("MAXLEN").add("~").add(settings.appendMaxLen);
        }
        args.add("*");
        codec.addFields(args, record);
        a.sent();
        return channel.write(CommandType.XADD, args);
    }

    /** INVALID_ARGUMENT (before any I/O) when the stream's key has a brace: its dedup keys would be in another slot. */
    private void requireDedupKeys(StreamKey key) {
        if (key.dedupIds() == null) {
            key.keys().side(); // throws INVALID_ARGUMENT naming the brace
        }
    }

    /** The script arguments of {@code records} (each with an idempotency id), in order. */
    private List<byte[]> encode(List<StreamRecord> records) {
        List<byte[]> argv = new ArrayList<>(records.size() * 8);
        for (StreamRecord record : records) {
            addRecord(argv, b(record.idempotencyId()), codec.fields(record));
        }
        return argv;
    }

    private static void addRecord(List<byte[]> argv, byte[] iid, List<byte[]> fields) {
        argv.add(iid);
        argv.add(b(Integer.toString(fields.size())));
        argv.addAll(fields);
    }

    /**
     * Writes one {@link Script#IDEMPOTENT_APPEND} call for {@code n} encoded records (no flush; the
     * caller marked their appends sent). Its reply holds a pair (stored?, id) per record.
     */
    private CompletableFuture<Object> sendIdempotent(StreamKey key, List<byte[]> records, int n) {
        List<byte[]> argv = new ArrayList<>(4 + records.size());
        argv.add(key.dedupWindow());
        argv.add(key.dedupMaxIds());
        argv.add(key.maxLen());
        argv.add(b(Integer.toString(n)));
        argv.addAll(records);
        // EVAL, not EVALSHA: a NOSCRIPT fallback would re-send this append after later ones and
        // break per-thread order; Redis caches the compiled script by its SHA anyway.
        CommandArgs<byte[], byte[]> args = CommandChannel.scriptArgs(
                Script.IDEMPOTENT_APPEND.body, List.of(key.bytes(), key.dedupIds(), key.dedupTimes()), argv);
        return channel.write(CommandType.EVAL, args);
    }

    /** The WAIT behind the appends written so far to {@code key}, or null without {@code waitReplicas}. */
    private CompletableFuture<Object> replicaWait(StreamKey key) {
        if (settings.waitReplicas == 0) {
            return null;
        }
        try {
            return channel.writeWait(key.bytes(), settings.waitReplicas, settings.waitTimeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The reply of a write once {@code wait} confirmed it on enough replicas; INDETERMINATE when the
     * WAIT failed or counted fewer replicas (the write itself succeeded, so it is stored on the primary).
     */
    CompletableFuture<Object> durable(StreamKey key, CompletableFuture<Object> write, CompletableFuture<Object> wait) {
        if (wait == null) {
            return write;
        }
        return write.thenCompose(reply -> wait.handle((acks, e) -> {
            if (e != null) {
                throw new CompletionException(new StreamException(
                        ErrorKind.INDETERMINATE,
                        "XADD " + key.key()
                                + ": stored on the primary, but WAIT " + settings.waitReplicas + " failed ("
                                + RedisErrors.unwrap(e).getMessage() + "); a failover may lose it",
                        RedisErrors.unwrap(e)));
            }
            long got = Resp.num(acks, "WAIT");
            if (got < settings.waitReplicas) {
                throw new CompletionException(new StreamException(
                        ErrorKind.INDETERMINATE,
                        "XADD " + key.key()
                                + ": stored on the primary, but only " + got + " of " + settings.waitReplicas
                                + " replicas acknowledged it within waitTimeout " + settings.waitTimeout
                                + "; a failover may lose it"));
            }
            return reply;
        }));
    }

    /** Completes {@code f} from the reply of one append. */
    private void settle(CompletableFuture<EventId> f, String key, StreamRecord record, Object reply, Throwable e) {
        if (e != null) {
            f.completeExceptionally(RedisErrors.map(e, RedisErrors.Op.APPEND, "XADD " + key, channel.isClosing()));
            return;
        }
        try {
            Object id = record.idempotencyId() != null
                    ? Resp.list(reply, "idempotent append").get(1)
                    : reply;
            f.complete(Ids.fromServer(Resp.bytes(id, "XADD")));
        } catch (RuntimeException bad) {
            f.completeExceptionally(
                    bad instanceof StreamException
                            ? bad
                            : new StreamException(ErrorKind.INTERNAL, "XADD " + key + ": bad reply", bad));
        }
    }

    private StreamKey streamKey(StreamKeys stream) {
        StreamKey k = lastKey;
        if (k == null || !k.key().equals(stream.key())) {
            String key = stream.key();
            // a key with a brace has no dedup keys in its slot: only an idempotent append fails on it (in send)
            boolean braced = stream.sidePrefix() == null;
            k = new StreamKey(
                    stream,
                    key,
                    b(key),
                    braced ? null : b(stream.dedupIdsKey()),
                    braced ? null : b(stream.dedupTimesKey()),
                    b(Long.toString(settings.dedupWindow.toMillis())),
                    b(Integer.toString(settings.dedupMaxIds)),
                    b(settings.appendMaxLen > 0 ? Long.toString(settings.appendMaxLen) : ""));
            lastKey = k;
        }
        return k;
    }
}
