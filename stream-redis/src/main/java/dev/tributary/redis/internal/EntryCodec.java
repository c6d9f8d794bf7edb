package dev.tributary.redis.internal;

import dev.tributary.EventId;
import dev.tributary.Header;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry layout (documented in the README): field {@code k} holds the key (absent when the record
 * has none; present and empty for a 0-byte key), one field {@code h:<name>} per header in order
 * (repeated names kept, values UTF-8), and field {@code p} the payload bytes, always present and
 * last. Redis keeps the field order and repeated fields of an entry, so the layout round-trips
 * exactly and {@code XRANGE} in redis-cli shows readable text.
 *
 * <p>Reading is lenient for entries written by other tools: a missing {@code p} reads as an empty
 * payload, and any other field whose name is a valid header key reads as a header of that name.
 */
final class EntryCodec {
    static final byte[] PAYLOAD = {'p'};
    static final byte[] KEY = {'k'};
    static final String HEADER_PREFIX = "h:";

    private EntryCodec() {
    }

    /** The field/value list of a record, in layout order. */
    static List<byte[]> fields(StreamRecord r) {
        List<byte[]> out = new ArrayList<>(4 + 2 * r.headers().size());
        if (r.key() != null) {
            out.add(KEY);
            out.add(r.key());
        }
        for (Header h : r.headers()) {
            out.add((HEADER_PREFIX + h.key()).getBytes(StandardCharsets.US_ASCII));
            out.add(h.value().getBytes(StandardCharsets.UTF_8));
        }
        out.add(PAYLOAD);
        out.add(r.payload());
        return out;
    }

    /** Adds the field/value pairs of a record to a command, in layout order (as {@link #fields}). */
    static void addFields(io.lettuce.core.protocol.CommandArgs<byte[], byte[]> args, StreamRecord r) {
        if (r.key() != null) {
            args.add(KEY).add(r.key());
        }
        for (Header h : r.headers()) {
            args.add((HEADER_PREFIX + h.key()).getBytes(StandardCharsets.US_ASCII));
            args.add(h.value().getBytes(StandardCharsets.UTF_8));
        }
        args.add(PAYLOAD).add(r.payload());
    }

    /** Decodes one {@code [id, [field, value, ...]]} reply element. */
    static StreamEvent decode(StreamName stream, Object entry, int deliveryCount) {
        List<Object> e = Resp.list(entry, "stream entry");
        if (e.size() != 2) {
            throw Resp.shape("stream entry", entry);
        }
        EventId id = Ids.fromServer(Resp.bytes(e.get(0), "entry id"));
        List<Object> fv = Resp.list(e.get(1), "entry fields");
        byte[] payload = null;
        byte[] key = null;
        Headers.Builder headers = null;
        for (int i = 0; i + 1 < fv.size(); i += 2) {
            byte[] f = Resp.bytes(fv.get(i), "field name");
            byte[] v = fv.get(i + 1) == null ? new byte[0] : Resp.bytes(fv.get(i + 1), "field value");
            if (f.length == 1 && f[0] == 'p') {
                payload = v;
            } else if (f.length == 1 && f[0] == 'k') {
                key = v;
            } else {
                String name = new String(f, StandardCharsets.UTF_8);
                if (name.startsWith(HEADER_PREFIX)) {
                    name = name.substring(HEADER_PREFIX.length());
                }
                if (headers == null) {
                    headers = Headers.builder();
                }
                try {
                    headers.add(name, new String(v, StandardCharsets.UTF_8));
                } catch (RuntimeException invalidForeignField) {
                    // a field written by another tool that is not a valid header name: not ours to show
                }
            }
        }
        return new StreamEvent(stream, id, Instant.ofEpochMilli(id.major()), key,
                headers == null ? Headers.empty() : headers.build(), payload == null ? new byte[0] : payload,
                deliveryCount);
    }

    /** Decodes a list of entries (XRANGE reply). */
    static List<StreamEvent> decodeAll(StreamName stream, Object reply) {
        List<Object> entries = Resp.list(reply, "entry list");
        List<StreamEvent> out = new ArrayList<>(entries.size());
        for (Object o : entries) {
            if (o != null) {
                out.add(decode(stream, o, 1));
            }
        }
        return out;
    }

    /** Decodes an XREAD/XREADGROUP reply for one stream ({@code [[key, [entries]]]} or nil). */
    static List<StreamEvent> decodeRead(StreamName stream, Object reply) {
        if (reply == null) {
            return List.of();
        }
        List<Object> streams = Resp.list(reply, "XREAD");
        if (streams.isEmpty()) {
            return List.of();
        }
        List<Object> one = Resp.list(streams.get(0), "XREAD stream");
        if (one.size() != 2) {
            throw Resp.shape("XREAD stream", one);
        }
        return decodeAll(stream, one.get(1));
    }
}
