package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Header;
import dev.tributary.Headers;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.spi.MarkedHeaders;
import io.lettuce.core.protocol.CommandArgs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry layout (documented in the README): the key field (default {@code k}; absent when the
 * record has no key, present and empty for a 0-byte key), one field {@code h:<name>} per header in
 * order (repeated names kept, values UTF-8), and the payload field (default {@code p}), always present
 * and last. Redis keeps the field order and repeated fields of an entry, so the layout round-trips
 * exactly and {@code XRANGE} in redis-cli shows readable text. The two field names are options
 * ({@code keyField}, {@code payloadField}) so that a stream another application writes can be read and
 * written in its own layout.
 *
 * <p>Reading never changes or drops what an entry holds. The first key field is the key and the first
 * payload field the payload (none: an empty payload). Every other field is a header, in its place:
 * {@code h:<name>} and a bare {@code <name>} read as header {@code <name>} when the name is in the
 * header grammar, and a value that is not UTF-8 reads marked; a field whose name is outside the grammar,
 * and a repeated key or payload field, read as a marked field ({@link MarkedHeaders}), counted on the
 * event ({@link StreamEvent#markedHeaders()}).
 */
final class EntryCodec {
    static final String HEADER_PREFIX = "h:";
    private static final byte[] PREFIX = HEADER_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private final byte[] keyField;
    private final byte[] payloadField;

    /** A codec of the layout with these field names (checked by {@link RedisSettings}). */
    EntryCodec(String keyField, String payloadField) {
        this.keyField = keyField.getBytes(StandardCharsets.UTF_8);
        this.payloadField = payloadField.getBytes(StandardCharsets.UTF_8);
    }

    /** The codec of the settings' layout. */
    static EntryCodec of(RedisSettings s) {
        return new EntryCodec(s.keyField, s.payloadField);
    }

    /** The field/value list of a record, in layout order. */
    List<byte[]> fields(StreamRecord r) {
        List<byte[]> out = new ArrayList<>(4 + 2 * r.headers().size());
        if (r.key() != null) {
            out.add(keyField);
            out.add(r.key());
        }
        for (Header h : r.headers()) {
            out.add(headerField(h));
            out.add(MarkedHeaders.encodeValue(h.value()));
        }
        out.add(payloadField);
        out.add(r.payload());
        return out;
    }

    /** Adds the field/value pairs of a record to a command, in layout order (as {@link #fields}). */
    void addFields(CommandArgs<byte[], byte[]> args, StreamRecord r) {
        if (r.key() != null) {
            args.add(keyField).add(r.key());
        }
        for (Header h : r.headers()) {
            args.add(headerField(h)).add(MarkedHeaders.encodeValue(h.value()));
        }
        args.add(payloadField).add(r.payload());
    }

    private static byte[] headerField(Header h) {
        return (HEADER_PREFIX + h.key()).getBytes(StandardCharsets.US_ASCII);
    }

    /** Decodes one {@code [id, [field, value, ...]]} reply element. */
    StreamEvent decode(StreamName stream, Object entry, int deliveryCount) {
        List<Object> e = Resp.list(entry, "stream entry");
        if (e.size() != 2) {
            throw Resp.shape("stream entry", entry);
        }
        EventId id = Ids.fromServer(Resp.bytes(e.get(0), "entry id"));
        List<Object> fv = Resp.list(e.get(1), "entry fields");
        byte[] payload = null;
        byte[] key = null;
        MarkedHeaders.Builder headers = null;
        for (int i = 0; i + 1 < fv.size(); i += 2) {
            byte[] f = Resp.bytes(fv.get(i), "field name");
            byte[] v = fv.get(i + 1) == null ? EMPTY : Resp.bytes(fv.get(i + 1), "field value");
            if (payload == null && Arrays.equals(f, payloadField)) {
                payload = v;
            } else if (key == null && Arrays.equals(f, keyField)) {
                key = v;
            } else {
                if (headers == null) {
                    headers = MarkedHeaders.builder();
                }
                addHeader(headers, f, v, stream, id);
            }
        }
        return new StreamEvent(
                stream,
                id,
                Instant.ofEpochMilli(id.major()),
                key,
                headers == null ? Headers.empty() : headers.build(),
                payload == null ? EMPTY : payload,
                deliveryCount,
                headers == null ? 0 : headers.marked());
    }

    /** A field other than the key and payload, in its place; a repeated key or payload field reads marked. */
    private void addHeader(MarkedHeaders.Builder headers, byte[] f, byte[] v, StreamName stream, EventId id) {
        String name = Arrays.equals(f, payloadField) || Arrays.equals(f, keyField) ? null : headerName(f);
        try {
            if (name != null) {
                headers.add(name, v);
            } else {
                headers.addMarked(f, v);
            }
        } catch (StreamException tooLarge) { // the headers' absolute bound: fail loudly rather than drop a field
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "entry " + id + " of " + stream + " holds more in its "
                            + "fields other than the payload than the headers of one event can carry ("
                            + tooLarge.getMessage()
                            + "); if one large field is the payload, name it with option payloadField",
                    tooLarge);
        }
    }

    /**
     * The header a field reads as: {@code h:<name>} or {@code <name>} with a name in the header grammar;
     * null for a field whose name is outside it.
     */
    static String headerName(byte[] field) {
        boolean prefixed = field.length > PREFIX.length && field[0] == PREFIX[0] && field[1] == PREFIX[1];
        int from = prefixed ? PREFIX.length : 0;
        int n = field.length - from;
        if (n < 1 || n > Headers.MAX_KEY_LENGTH) {
            return null;
        }
        for (int i = from; i < field.length; i++) {
            byte c = field[i];
            if (c < 0x21 || c > 0x7e || c == ':') {
                return null;
            }
        }
        return new String(field, from, n, StandardCharsets.US_ASCII);
    }

    /** Decodes a list of entries (XRANGE reply). */
    List<StreamEvent> decodeAll(StreamName stream, Object reply) {
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
    List<StreamEvent> decodeRead(StreamName stream, Object reply) {
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
