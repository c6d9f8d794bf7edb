package dev.tributary.benchmarks;

/**
 * What the runner does outside the timed part, with the raw client of the backend: creates each round's
 * stream, fills it for a consume row, deletes it afterwards.
 */
interface Backend extends AutoCloseable {

    /** {@code redis} or {@code kafka}. */
    String name();

    /** The URI Tributary opens ({@code redis://…}, {@code kafka://…}). */
    String uri();

    /** Creates an empty stream (a one-partition topic on Kafka). */
    void create(String stream) throws Exception;

    /** Appends {@code records} events of the payload, and returns when the broker has them all. */
    void fill(String stream, int records, byte[] payload) throws Exception;

    /** Deletes the stream; best effort. */
    void delete(String stream);

    @Override
    void close();
}
