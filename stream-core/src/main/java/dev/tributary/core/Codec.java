package dev.tributary.core;

/**
 * Turns values into payload bytes and back. Implementations are thread-safe and stateless in
 * effect.
 *
 * <p>{@link #decode(byte[])} of bytes that are not a valid encoding throws {@link CodecException};
 * processors send such an event to the dead-letter stream at once, without retry (no retry can make
 * the bytes decodable). {@link #encode(Object)} of a value the codec cannot write throws
 * {@link CodecException} too; a {@link Publisher} reports it to the caller and writes nothing.
 *
 * @param <T> the value type
 */
public interface Codec<T> {

    /** The payload for {@code value}. */
    byte[] encode(T value);

    /** The value of {@code payload}; throws {@link CodecException} for bytes it cannot read. */
    T decode(byte[] payload);

    /** A short name for messages and dead-letter headers, e.g. {@code "utf8"} or {@code "json"}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
