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
 *   <li>partition {@code p} of a stream of several partitions: stream {@code <prefix>_<name>~<p>} (the
 *       {@code ~}, outside the name grammar, keeps it apart from every one-partition stream; hashed like
 *       the stream name when longer than {@value #MAX_STREAM_NAME}), subject {@code <prefix>.<name>.<p>}
 *       (one token more than the one-partition subject, so the two never overlap).</li>
 * </ul>
 * A stream adopted with a {@code jetstream.<name>} option maps to the JetStream stream and filter the
 * option names instead ({@link #target}); the prefix does not apply to it.
 */
public final class NatsNames {
    /** Longest JetStream stream name this backend creates. */
    public static final int MAX_STREAM_NAME = 128;

    /** Between a partitioned stream's JetStream name and the partition number: not in the name grammar. */
    static final char PARTITION_MARK = '~';

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

    /** The JetStream stream that holds partition {@code partition} of a partitioned stream. */
    public String partitionStreamName(StreamName stream, int partition) {
        String suffix = PARTITION_MARK + Integer.toString(partition);
        String plain = prefix + "_" + stream.value() + suffix;
        if (plain.length() <= MAX_STREAM_NAME) {
            return plain;
        }
        return (prefix + "_" + stream.value()).substring(0, 100) + "_" + hash(prefix + "." + stream.value()) + suffix;
    }

    /** The subject partition {@code partition} of a partitioned stream is published to. */
    public String partitionSubject(StreamName stream, int partition) {
        return subject(stream) + "." + partition;
    }

    /** Where partition {@code partition} of a partitioned stream lives. */
    NatsTarget partitionTarget(StreamName stream, int partition) {
        return NatsTarget.partition(
                partitionStreamName(stream, partition), partitionSubject(stream, partition), partition);
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
