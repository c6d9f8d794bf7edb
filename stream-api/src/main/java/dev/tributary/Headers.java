package dev.tributary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * An ordered, immutable list of headers. Order is kept and repeated keys are kept, as on the wire
 * of Kafka and NATS.
 *
 * <p><b>Keys</b> are 1 to {@value #MAX_KEY_LENGTH} printable ASCII characters ({@code !} to
 * {@code ~}) other than {@code :} — the HTTP-token-like form that every backend carries natively.
 * <b>Values</b> are any string of well-formed Unicode (quotes, {@code :}, CR, LF, emoji…); a value
 * with an unpaired surrogate is rejected because it cannot round-trip through UTF-8. A backend that
 * cannot carry a value natively encodes it; every value round-trips exactly.
 *
 * <p>The total size (UTF-8 bytes of every key and value) is bounded by {@link #MAX_TOTAL_BYTES}
 * here and by the backend's {@link Limits#maxHeaderBytes()} at append. Violations fail with
 * {@link ErrorKind#INVALID_ARGUMENT} before any I/O.
 */
public final class Headers implements Iterable<Header> {
    /** Longest header key. */
    public static final int MAX_KEY_LENGTH = 256;
    /** Absolute bound on the UTF-8 size of all keys and values of one record. */
    public static final int MAX_TOTAL_BYTES = 1 << 20;

    private static final Headers EMPTY = new Headers(List.of(), 0);

    private final List<Header> headers;
    private final int byteSize;

    private Headers(List<Header> headers, int byteSize) {
        this.headers = headers;
        this.byteSize = byteSize;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from alternating keys and values: {@code of("type", "created", "origin", "crm")}. */
    public static Headers of(String... keysAndValues) {
        if (keysAndValues == null || keysAndValues.length % 2 != 0) {
            throw StreamException.invalid("Headers.of takes key/value pairs; got an odd number of arguments");
        }
        Builder b = builder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.add(keysAndValues[i], keysAndValues[i + 1]);
        }
        return b.build();
    }

    /** Headers from a list, in its order. */
    public static Headers of(List<Header> list) {
        if (list == null) {
            throw StreamException.invalid("header list must not be null");
        }
        Builder b = builder();
        for (Header h : list) {
            if (h == null) {
                throw StreamException.invalid("header list must not contain null");
            }
            b.add(h.key(), h.value());
        }
        return b.build();
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of headers (repeated keys counted each time). */
    public int size() {
        return headers.size();
    }

    public boolean isEmpty() {
        return headers.isEmpty();
    }

    /** The headers in order. */
    public List<Header> asList() {
        return headers;
    }

    /** The first value for {@code key}, if any. */
    public Optional<String> first(String key) {
        for (Header h : headers) {
            if (h.key().equals(key)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** Every value for {@code key}, in order. */
    public List<String> all(String key) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.key().equals(key)) {
                out.add(h.value());
            }
        }
        return out;
    }

    /** UTF-8 bytes of every key and value. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * These headers with one more appended at the end (a repeated key is kept as another header),
     * validated as {@link Builder#add} validates; this instance is unchanged. Cheaper than
     * {@code toBuilder().add(key, value).build()}, which copies the list twice: for a decorator that
     * adds a header or two to every record (trace context, for example).
     *
     * @param key the header key
     * @param value the header value
     * @return new headers, in this order followed by {@code key}
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} for an invalid key or value, or
     *     when the headers would exceed {@link #MAX_TOTAL_BYTES}
     */
    public Headers with(String key, String value) {
        Header h = new Header(key, value);
        long bytes = (long) byteSize + key.length() + utf8Length(value);
        if (bytes > MAX_TOTAL_BYTES) {
            throw StreamException.invalid("headers exceed " + MAX_TOTAL_BYTES + " bytes in total");
        }
        Header[] all = headers.toArray(new Header[headers.size() + 1]);
        all[all.length - 1] = h;
        return new Headers(Collections.unmodifiableList(Arrays.asList(all)), (int) bytes);
    }

    /** A builder starting with these headers. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.list.addAll(headers);
        b.bytes = byteSize;
        return b;
    }

    @Override
    public Iterator<Header> iterator() {
        return headers.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && headers.equals(other.headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        return headers.toString();
    }

    /**
     * Whether {@code key} is a valid header key (1 to {@value #MAX_KEY_LENGTH} printable ASCII
     * characters other than {@code :}): for a backend deciding how to carry a header another
     * application wrote.
     */
    public static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ':') {
                return false;
            }
        }
        return true; // a loop, not a stream: it runs for every header of every event a backend reads
    }

    static void checkKey(String key) {
        if (key == null) {
            throw StreamException.invalid("header key must not be null");
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw StreamException.invalid(
                    "header key must be 1 to " + MAX_KEY_LENGTH + " characters; got " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ':') {
                throw StreamException.invalid("header key has " + String.format("U+%04X", (int) c) + " at index " + i
                        + "; keys are printable ASCII without ':' or spaces");
            }
        }
    }

    static void checkValue(String key, String value) {
        if (value == null) {
            throw StreamException.invalid("value of header '" + key + "' must not be null (use an empty string)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw StreamException.invalid("value of header '" + key + "' has an unpaired surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw StreamException.invalid("value of header '" + key + "' has an unpaired surrogate at index " + i);
            }
        }
    }

    /** Builds headers; validates each header as it is added. */
    public static final class Builder {
        private final List<Header> list = new ArrayList<>();
        private long bytes;

        private Builder() {}

        /** Appends a header (a repeated key is kept as another header). */
        public Builder add(String key, String value) {
            Header h = new Header(key, value);
            bytes += key.length() + utf8Length(value);
            if (bytes > MAX_TOTAL_BYTES) {
                throw StreamException.invalid("headers exceed " + MAX_TOTAL_BYTES + " bytes in total");
            }
            list.add(h);
            return this;
        }

        /** {@return the headers added so far, in order} */
        public Headers build() {
            if (list.isEmpty()) {
                return EMPTY;
            }
            return new Headers(Collections.unmodifiableList(new ArrayList<>(list)), (int) bytes);
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** UTF-8 bytes of a string (helper for size accounting). */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
