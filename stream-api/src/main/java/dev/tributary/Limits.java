package dev.tributary;

/**
 * Sizes a backend accepts. A payload of exactly {@code maxPayloadBytes} is accepted (with a key and
 * headers within {@code maxHeaderBytes} together); one byte more fails with
 * {@link ErrorKind#TOO_LARGE} before any I/O and nothing is written.
 *
 * @param maxPayloadBytes largest payload
 * @param maxHeaderBytes  largest UTF-8 size of key plus all header keys and values
 * @param maxBatchSize    most records in one batch append
 * @param maxReadCount    most events one poll or range call may ask for
 */
public record Limits(int maxPayloadBytes, int maxHeaderBytes, int maxBatchSize, int maxReadCount) {
    public Limits {
        if (maxPayloadBytes < 1 || maxHeaderBytes < 1 || maxBatchSize < 1 || maxReadCount < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxPayloadBytes + ", " + maxHeaderBytes
                    + ", " + maxBatchSize + ", " + maxReadCount);
        }
    }
}
