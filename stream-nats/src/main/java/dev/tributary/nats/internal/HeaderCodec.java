package dev.tributary.nats.internal;

import dev.tributary.Header;
import dev.tributary.Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Carries a record's key and headers in NATS headers so that every value round-trips exactly.
 *
 * <ul>
 *   <li><b>Values</b> that are non-empty printable ASCII ({@code 0x20}–{@code 0x7E}) without leading or
 *       trailing spaces and that do not start with {@value #MARKER} are sent as they are. Every other
 *       value (empty, non-ASCII, control characters such as CR, LF or TAB, edge spaces, or a value that
 *       itself starts with the marker) is sent as {@value #MARKER} followed by the standard Base64 (with
 *       padding) of its UTF-8 bytes.</li>
 *   <li><b>Keys</b> are sent as they are, except keys that start with {@code Nats-} or
 *       {@code Tributary-} (in any case): those are reserved for the server and this backend and are
 *       sent as {@value #ESCAPE} followed by the key.</li>
 *   <li><b>The record key</b> travels in {@value #KEY_HEADER}, plain when its bytes are a value that can
 *       travel as it is (printable ASCII, as above — the common {@code order-42}), else as {@value #MARKER}
 *       plus Base64 of the bytes (binary, non-ASCII, or empty: an empty key and no key stay distinct).
 *       A {@value #KEY_HEADER} without the marker (written by another application) is read as UTF-8.</li>
 *   <li><b>Order</b>: NATS keeps the values of one key in order but neither the order of distinct keys
 *       nor the interleaving of a repeated key. When a record has two or more distinct keys,
 *       {@value #ORDER_HEADER} lists, for every header in order, the index of its (encoded) key among the
 *       distinct encoded keys sorted by code point (comma-separated), and the reader rebuilds the
 *       original order from it.</li>
 * </ul>
 * Headers starting with {@code Nats-} on read (such as {@code Nats-Msg-Id}) belong to the server and
 * are not returned; nor are unknown {@code Tributary-} headers.
 */
public final class HeaderCodec {
    /** Prefix of an encoded value. */
    public static final String MARKER = "~b64~";
    /** The header that carries the record key. */
    public static final String KEY_HEADER = "Tributary-Key";
    /** The header that carries the order of interleaved repeated keys. */
    public static final String ORDER_HEADER = "Tributary-Order";
    /**
     * The header added on read to events of an adopted stream read through a wildcard filter (or none):
     * the NATS subject the message was published to. Never sent: a user header of that name travels
     * escaped like every {@code Tributary-} key.
     */
    public static final String SUBJECT_HEADER = "Tributary-Subject";
    /** Prefix of an escaped user key. */
    public static final String ESCAPE = "Tributary-Esc-";

    private HeaderCodec() {}

    /** A decoded record: key (null for none) and headers. */
    @SuppressWarnings("ArrayRecordComponent") // handed to the event as it is, never compared
    public record Decoded(byte[] key, Headers headers) {}

    /** Encodes key and headers into NATS headers; returns null when there is nothing to carry. */
    public static io.nats.client.impl.Headers encode(byte[] key, Headers headers) {
        if (key == null && headers.isEmpty()) {
            return null;
        }
        io.nats.client.impl.Headers out = new io.nats.client.impl.Headers();
        if (!headers.isEmpty()) {
            List<String> keys = new ArrayList<>(headers.size());
            for (Header h : headers) {
                String k = encodeKey(h.key());
                keys.add(k);
                out.add(k, encodeValue(h.value()));
            }
            String order = order(keys);
            if (order != null) {
                out.add(ORDER_HEADER, order);
            }
        }
        if (key != null) {
            out.add(KEY_HEADER, encodeRecordKey(key));
        }
        return out;
    }

    /** Decodes NATS headers (may be null) back into key and headers. */
    public static Decoded decode(io.nats.client.impl.Headers in) {
        if (in == null || in.isEmpty()) {
            return new Decoded(null, Headers.empty());
        }
        byte[] key = null;
        String order = null;
        // by encoded key, the order's reference; made for the first user header only
        TreeMap<String, List<String>> user = null;
        for (Map.Entry<String, List<String>> e : in.entrySet()) {
            String k = e.getKey();
            List<String> values = e.getValue();
            if (k.equals(KEY_HEADER)) {
                if (!values.isEmpty()) {
                    key = decodeKey(values.get(0));
                }
                continue;
            }
            if (k.equals(ORDER_HEADER)) {
                order = values.isEmpty() ? null : values.get(0);
                continue;
            }
            if (!k.startsWith(ESCAPE) && isReserved(k)) {
                continue;
            }
            if (k.length() == ESCAPE.length() && k.startsWith(ESCAPE)) {
                continue;
            }
            List<String> decoded = new ArrayList<>(values.size());
            for (String v : values) {
                decoded.add(decodeValue(v));
            }
            if (user == null) {
                user = new TreeMap<>();
            }
            user.merge(k, decoded, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
        }
        return new Decoded(key, user == null ? Headers.empty() : rebuild(user, order));
    }

    private static String userKey(String encoded) {
        return encoded.startsWith(ESCAPE) ? encoded.substring(ESCAPE.length()) : encoded;
    }

    private static Headers rebuild(java.util.SortedMap<String, List<String>> user, String order) {
        if (user.isEmpty()) {
            return Headers.empty();
        }
        List<String> keys = new ArrayList<>(user.keySet());
        if (order != null) {
            Headers ordered = applyOrder(user, keys, order);
            if (ordered != null) {
                return ordered;
            }
        }
        Headers.Builder b = Headers.builder();
        for (String k : keys) {
            for (String v : user.get(k)) {
                b.add(userKey(k), v);
            }
        }
        return b.build();
    }

    private static Headers applyOrder(Map<String, List<String>> user, List<String> keys, String order) {
        try {
            Map<String, Integer> next = new HashMap<>();
            Headers.Builder b = Headers.builder();
            int total = 0;
            for (String part : order.split(",")) {
                String k = keys.get(Integer.parseInt(part.trim()));
                int i = next.merge(k, 1, Integer::sum) - 1;
                b.add(userKey(k), user.get(k).get(i));
                total++;
            }
            int expected = user.values().stream().mapToInt(List::size).sum();
            return total == expected ? b.build() : null;
        } catch (RuntimeException e) {
            return null; // a foreign or damaged order header: fall back to the sorted order
        }
    }

    /**
     * The order header for these encoded keys: for every header, the index of its key among the
     * distinct keys sorted by {@link String#compareTo}; null when there is only one distinct key (NATS
     * keeps the order of one key's values by itself).
     */
    static String order(List<String> keys) {
        TreeSet<String> distinct = new TreeSet<>(keys);
        if (distinct.size() < 2) {
            return null;
        }
        Map<String, Integer> index = new HashMap<>();
        for (String k : distinct) {
            index.put(k, index.size());
        }
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(index.get(k));
        }
        return sb.toString();
    }

    /**
     * Whether {@code key} starts with {@code nats-} or {@code tributary-}, in any case. Read for every
     * header of every delivered message, so it compares ASCII case by hand instead of lower-casing a copy
     * of the key; no character outside ASCII lower-cases to these prefixes' letters, so the answer is that of
     * {@code key.toLowerCase(Locale.ROOT).startsWith(…)}.
     */
    static boolean isReserved(String key) {
        return startsWithAsciiIgnoreCase(key, "nats-") || startsWithAsciiIgnoreCase(key, "tributary-");
    }

    private static boolean startsWithAsciiIgnoreCase(String s, String lowerPrefix) {
        if (s.length() < lowerPrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static String encodeKey(String key) {
        return isReserved(key) ? ESCAPE + key : key;
    }

    /** True when a value can travel as it is. */
    static boolean isPlain(String v) {
        if (v.isEmpty() || v.startsWith(MARKER) || v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    static String encodeValue(String v) {
        if (isPlain(v)) {
            return v;
        }
        return MARKER + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeValue(String v) {
        if (v.startsWith(MARKER)) {
            try {
                return new String(Base64.getDecoder().decode(v.substring(MARKER.length())), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return v; // not ours: keep it as it came
            }
        }
        return v;
    }

    /** The record key: plain when its bytes are printable ASCII that needs no marker, else marker + Base64. */
    static String encodeRecordKey(byte[] key) {
        boolean ascii = key.length > 0;
        for (byte b : key) {
            if (b < 0x20 || b > 0x7e) {
                ascii = false;
                break;
            }
        }
        String text = ascii ? new String(key, StandardCharsets.US_ASCII) : null;
        return text != null && isPlain(text)
                ? text
                : MARKER + Base64.getEncoder().encodeToString(key);
    }

    private static byte[] decodeKey(String v) {
        if (!v.startsWith(MARKER)) {
            return v.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(v.substring(MARKER.length()));
        } catch (IllegalArgumentException e) {
            return v.getBytes(StandardCharsets.UTF_8); // not ours: keep it as it came
        }
    }

    /**
     * An upper bound of the bytes that {@code headerBytes} bytes of key and headers can take on the wire
     * once encoded (escape, marker, Base64, order list, NATS framing). Used to size the payload limit.
     */
    public static long worstCaseEncodedBytes(int headerBytes) {
        // per header of k key bytes and v value bytes: escape(14) + k + ": "(2) + marker(5) + 4*ceil(v/3)
        // + CRLF(2) + an order index with comma (<= 7); key header: ~30 + 4/3 of the key.
        return 34L * headerBytes + 2L * headerBytes + 256;
    }
}
