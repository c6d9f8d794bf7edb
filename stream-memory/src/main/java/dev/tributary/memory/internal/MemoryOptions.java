package dev.tributary.memory.internal;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.Limits;
import dev.tributary.StreamException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The options of a memory client, read from {@link ClientConfig#options()}.
 *
 * <p>Client options ({@code maxPayloadBytes}, {@code maxHeaderBytes}) shape the client's {@link Limits}.
 * Store options ({@code maxStreamBytes}, {@code dedupWindow}, {@code dedupMaxEntries}) belong to the
 * store: a named store keeps the values of the client that created it, and a later client that
 * states a different value explicitly fails with {@link ErrorKind#CONFIGURATION}. Unknown options
 * fail with {@link ErrorKind#CONFIGURATION} listing the known ones (a misspelt cap must not be
 * ignored silently).
 *
 * @param storeName    the name after {@code memory:}, or {@code null} for a private store
 * @param limits       the client's limits
 * @param store        the store settings this client asks for (defaults where not given)
 * @param explicit     which store settings were given explicitly, for the mismatch check
 */
public record MemoryOptions(String storeName, Limits limits, StoreSettings store, List<String> explicit) {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 << 10;
    public static final long DEFAULT_MAX_STREAM_BYTES = 256L << 20;
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(2);
    public static final int DEFAULT_DEDUP_MAX_ENTRIES = 100_000;
    public static final int MAX_BATCH_SIZE = 10_000;
    public static final int MAX_READ_COUNT = 10_000;

    static final String MAX_PAYLOAD = "maxPayloadBytes";
    static final String MAX_HEADER = "maxHeaderBytes";
    static final String MAX_STREAM = "maxStreamBytes";
    static final String DEDUP_WINDOW = "dedupWindow";
    static final String DEDUP_MAX = "dedupMaxEntries";
    private static final List<String> KNOWN = List.of(MAX_PAYLOAD, MAX_HEADER, MAX_STREAM, DEDUP_WINDOW, DEDUP_MAX);

    /**
     * Settings of one store, shared by every client of a named store.
     *
     * @param maxStreamBytes  cap on payload + key + header bytes retained per stream
     * @param dedupWindow     how long an idempotency id is remembered; zero disables deduplication
     * @param dedupMaxEntries most idempotency ids remembered per stream (oldest forgotten first); zero disables
     */
    public record StoreSettings(long maxStreamBytes, Duration dedupWindow, int dedupMaxEntries) {
        public static StoreSettings defaults() {
            return new StoreSettings(DEFAULT_MAX_STREAM_BYTES, DEFAULT_DEDUP_WINDOW, DEFAULT_DEDUP_MAX_ENTRIES);
        }

        /** True when idempotency ids are remembered at all. */
        boolean dedupEnabled() {
            return !dedupWindow.isZero() && dedupMaxEntries > 0;
        }
    }

    /**
     * Reads the URI and the options.
     *
     * @throws StreamException {@link ErrorKind#CONFIGURATION} for a URI that is not {@code memory:} or
     *                         {@code memory:NAME}, or a bad or unknown option
     */
    public static MemoryOptions from(ClientConfig config) {
        String storeName = storeName(config);
        for (String k : config.options().keySet()) {
            if (!KNOWN.contains(k)) {
                throw new StreamException(
                        ErrorKind.CONFIGURATION,
                        "unknown option '" + k + "' for the memory backend; known options: "
                                + String.join(", ", KNOWN));
            }
        }
        int maxPayload = (int) range(
                config.longOption(MAX_PAYLOAD), MAX_PAYLOAD, DEFAULT_MAX_PAYLOAD_BYTES, 1, Integer.MAX_VALUE - 16);
        int maxHeader = (int)
                range(config.longOption(MAX_HEADER), MAX_HEADER, DEFAULT_MAX_HEADER_BYTES, 1, Integer.MAX_VALUE - 16);
        long maxStream = range(config.longOption(MAX_STREAM), MAX_STREAM, DEFAULT_MAX_STREAM_BYTES, 1, Long.MAX_VALUE);
        int dedupMax = (int) range(config.longOption(DEDUP_MAX), DEDUP_MAX, DEFAULT_DEDUP_MAX_ENTRIES, 0, 10_000_000);
        Duration window = config.durationOption(DEDUP_WINDOW).orElse(DEFAULT_DEDUP_WINDOW);
        if (window.isNegative() || window.compareTo(Duration.ofDays(7)) > 0) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION, DEDUP_WINDOW + " must be 0 (off) to 7 days, got " + window);
        }
        List<String> explicit = config.options().keySet().stream()
                .filter(k -> k.equals(MAX_STREAM) || k.equals(DEDUP_WINDOW) || k.equals(DEDUP_MAX))
                .toList();
        return new MemoryOptions(
                storeName,
                new Limits(maxPayload, maxHeader, MAX_BATCH_SIZE, MAX_READ_COUNT),
                new StoreSettings(maxStream, window, dedupMax),
                explicit);
    }

    private static long range(Optional<Long> value, String name, long dflt, long min, long max) {
        long v = value.orElse(dflt);
        if (v < min || v > max) {
            throw new StreamException(ErrorKind.CONFIGURATION, name + " must be " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    /**
     * The store name of {@code memory:NAME}, or {@code null} for {@code memory:}. Read from the raw
     * URI text so that both {@code memory:} and {@code memory:?opt=v} mean a private store.
     */
    static String storeName(ClientConfig config) {
        String scheme = config.scheme();
        if (!scheme.equals("memory")) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION, "the memory backend serves memory: URIs, got " + config.safeUri());
        }
        String raw = config.uri().toString().trim();
        String rest = raw.substring(raw.indexOf(':') + 1);
        int cut = indexOfAny(rest, '?', '#');
        String name = cut >= 0 ? rest.substring(0, cut) : rest;
        if (name.isEmpty()) {
            return null;
        }
        if (!isStoreName(name)) {
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "'" + config.safeUri()
                            + "' is not a memory URI; write memory: for a private store or memory:NAME (letters, digits, '_'"
                            + " and '-', at most 200) for a store shared by that name inside this JVM");
        }
        return name;
    }

    private static boolean isStoreName(String name) {
        if (name.length() > 200) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    /** Fails when a setting this client states explicitly differs from the existing store's. */
    void checkCompatible(String store, StoreSettings actual) {
        for (String k : explicit) {
            Object want;
            Object have;
            switch (k) {
                case MAX_STREAM -> {
                    want = this.store.maxStreamBytes();
                    have = actual.maxStreamBytes();
                }
                case DEDUP_WINDOW -> {
                    want = this.store.dedupWindow();
                    have = actual.dedupWindow();
                }
                default -> {
                    want = this.store.dedupMaxEntries();
                    have = actual.dedupMaxEntries();
                }
            }
            if (!want.equals(have)) {
                throw new StreamException(
                        ErrorKind.CONFIGURATION,
                        "memory store '" + store + "' already exists with "
                                + k + "=" + have + "; this client asks for " + want
                                + ". Store options are fixed by the first "
                                + "client of a named store: drop the option or use another store name");
            }
        }
    }
}
