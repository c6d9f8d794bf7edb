package dev.tributary.nats.internal;

import dev.tributary.StreamName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Maps Tributary names to JetStream objects.
 *
 * <ul>
 *   <li>subject: {@code <prefix>.<name>} — a single literal subject; the portable name grammar has no
 *       {@code .}, {@code *}, {@code >} or whitespace, so every valid name is a valid subject token;</li>
 *   <li>stream: {@code <prefix>_<name>} when that is at most {@value #MAX_STREAM_NAME} characters, else
 *       the first 100 characters followed by {@code _} and 16 hex digits of the SHA-256 of
 *       {@code <prefix>.<name>} (JetStream keeps streams in directories named after them, so the name
 *       stays well below the file-name limit);</li>
 *   <li>consumer group: a durable consumer named after the group (same grammar, at most 200 characters).</li>
 * </ul>
 * A stream adopted with a {@code jetstream.<name>} option maps to the JetStream stream and filter the
 * option names instead ({@link #target}); the prefix does not apply to it.
 */
public final class NatsNames {
    /** Longest JetStream stream name this backend creates. */
    public static final int MAX_STREAM_NAME = 128;

    private final String prefix;
    private final Map<String, NatsTarget> adopted;

    public NatsNames(String prefix) {
        this(prefix, Map.of());
    }

    /** @param adopted streams adopted with {@code jetstream.<name>} options, by Tributary name */
    NatsNames(String prefix, Map<String, NatsTarget> adopted) {
        this.prefix = StreamName.check(prefix, "subject prefix");
        this.adopted = Map.copyOf(adopted);
    }

    /** Where the stream lives: an adopted stream, else Tributary's own stream and subject. */
    NatsTarget target(StreamName stream) {
        NatsTarget t = adopted.get(stream.value());
        return t != null ? t : NatsTarget.own(streamName(stream), subject(stream));
    }

    public String prefix() {
        return prefix;
    }

    /** The subject a stream's records are published to. */
    public String subject(StreamName stream) {
        return prefix + "." + stream.value();
    }

    /** The JetStream stream name. */
    public String streamName(StreamName stream) {
        String plain = prefix + "_" + stream.value();
        if (plain.length() <= MAX_STREAM_NAME) {
            return plain;
        }
        return plain.substring(0, 100) + "_" + hash(prefix + "." + stream.value());
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
