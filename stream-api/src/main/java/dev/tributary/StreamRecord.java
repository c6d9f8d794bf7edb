package dev.tributary;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record to append: payload bytes, an optional key, ordered headers and an optional idempotency id.
 *
 * <p>The payload may be empty (0 bytes): it is stored and read back as empty, never confused with
 * null or with a Kafka tombstone. A key of 0 bytes and no key ({@code null}) are distinct and stay
 * distinct. The idempotency id, when given, lets a backend with {@link Capability#IDEMPOTENT_APPEND}
 * store one event for repeated appends of the same id inside its dedup window; it is 1 to
 * {@value #MAX_IDEMPOTENCY_ID_LENGTH} printable ASCII characters.
 *
 * <p>Arrays are not copied (appends are a hot path): do not modify them after building the record.
 * All validation happens here, before any I/O, and fails with {@link ErrorKind#INVALID_ARGUMENT}.
 */
public final class StreamRecord {
    /** The longest idempotency id accepted, in characters. */
    public static final int MAX_IDEMPOTENCY_ID_LENGTH = 128;

    private final byte[] payload;
    private final byte[] key;
    private final Headers headers;
    private final String idempotencyId;

    private StreamRecord(byte[] payload, byte[] key, Headers headers, String idempotencyId) {
        if (payload == null) {
            throw StreamException.invalid("record payload must not be null (use an empty array)");
        }
        if (headers == null) {
            throw StreamException.invalid("record headers must not be null (use Headers.empty())");
        }
        if (idempotencyId != null) {
            checkIdempotencyId(idempotencyId);
        }
        this.payload = payload;
        this.key = key;
        this.headers = headers;
        this.idempotencyId = idempotencyId;
    }

    /** A record with this payload and nothing else. */
    public static StreamRecord of(byte[] payload) {
        return new StreamRecord(payload, null, Headers.empty(), null);
    }

    /** A record whose payload is the UTF-8 encoding of {@code text}. */
    public static StreamRecord of(String text) {
        if (text == null) {
            throw StreamException.invalid("record payload must not be null (use an empty string)");
        }
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A builder of a record; a payload is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The payload bytes; the array is not copied, so do not modify it. */
    public byte[] payload() {
        return payload;
    }

    /** The key, or {@code null} when the record has none (distinct from an empty key). */
    public byte[] key() {
        return key;
    }

    /** Whether the record has a key. */
    public boolean hasKey() {
        return key != null;
    }

    /** The record's headers. */
    public Headers headers() {
        return headers;
    }

    /** The idempotency id, or {@code null}. */
    public String idempotencyId() {
        return idempotencyId;
    }

    /** A copy with another idempotency id. */
    public StreamRecord withIdempotencyId(String id) {
        return new StreamRecord(payload, key, headers, id);
    }

    /** A copy with other headers. */
    public StreamRecord withHeaders(Headers newHeaders) {
        return new StreamRecord(payload, key, newHeaders, idempotencyId);
    }

    /** A builder that starts with this record's payload, key, headers and idempotency id. */
    public Builder toBuilder() {
        return new Builder().payload(payload).key(key).headers(headers).idempotencyId(idempotencyId);
    }

    static void checkIdempotencyId(String id) {
        if (id.isEmpty() || id.length() > MAX_IDEMPOTENCY_ID_LENGTH) {
            throw StreamException.invalid(
                    "idempotency id must be 1 to " + MAX_IDEMPOTENCY_ID_LENGTH + " characters; got " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw StreamException.invalid("idempotency id has " + String.format("U+%04X", (int) c) + " at index "
                        + i + "; use printable ASCII");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamRecord r
                && Arrays.equals(payload, r.payload)
                && Arrays.equals(key, r.key)
                && headers.equals(r.headers)
                && java.util.Objects.equals(idempotencyId, r.idempotencyId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + headers.hashCode();
    }

    @Override
    public String toString() {
        return "StreamRecord[payload=" + payload.length + " bytes, key="
                + (key == null ? "none" : key.length + " bytes") + ", headers=" + headers.size()
                + (idempotencyId == null ? "" : ", idempotencyId=" + idempotencyId) + "]";
    }

    /** Builds a record; {@link #build()} validates. */
    public static final class Builder {
        private byte[] payload;
        private byte[] key;
        private Headers headers = Headers.empty();
        private Headers.Builder headerBuilder;
        private String idempotencyId;

        private Builder() {}

        /** Sets the payload bytes (not copied). */
        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        /** Sets the payload to the UTF-8 bytes of {@code utf8}. */
        public Builder payload(String utf8) {
            this.payload = utf8 == null ? null : utf8.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Sets the key bytes (not copied); null for no key. */
        public Builder key(byte[] key) {
            this.key = key;
            return this;
        }

        /** Sets the key to the UTF-8 bytes of {@code utf8}; null for no key. */
        public Builder key(String utf8) {
            this.key = utf8 == null ? null : utf8.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Replaces all headers. */
        public Builder headers(Headers headers) {
            if (headers == null) {
                throw StreamException.invalid("record headers must not be null (use Headers.empty())");
            }
            this.headers = headers;
            this.headerBuilder = null;
            return this;
        }

        /** Appends one header. */
        public Builder header(String key, String value) {
            if (headerBuilder == null) {
                headerBuilder = headers.toBuilder();
            }
            headerBuilder.add(key, value);
            return this;
        }

        /** Sets the idempotency id (printable ASCII, at most {@value StreamRecord#MAX_IDEMPOTENCY_ID_LENGTH} characters); null for none. */
        public Builder idempotencyId(String id) {
            this.idempotencyId = id;
            return this;
        }

        /** The record; fails if the payload is missing or a setting is invalid. */
        public StreamRecord build() {
            Headers h = headerBuilder != null ? headerBuilder.build() : headers;
            return new StreamRecord(payload, key, h, idempotencyId);
        }
    }
}
