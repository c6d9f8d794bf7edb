package dev.tributary.cli.bench;

import org.HdrHistogram.Histogram;

/**
 * What one phase (append or consume) of one side measured.
 *
 * @param count    records appended or consumed
 * @param bytes    payload bytes
 * @param nanos    wall time of the phase
 * @param latency  microseconds: per record from submit to broker ack (append), per poll+ack round trip (consume)
 */
public record PhaseResult(long count, long bytes, long nanos, Histogram latency) {

    /** {@return the records per second of the phase} */
    public double eventsPerSecond() {
        return nanos == 0 ? 0 : count * 1e9 / nanos;
    }

    /** {@return the payload MiB per second of the phase} */
    public double megabytesPerSecond() {
        return nanos == 0 ? 0 : bytes * 1e9 / nanos / (1024.0 * 1024.0);
    }

    /** The latency at a percentile in milliseconds. */
    public double latencyMs(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** {@return the highest latency recorded, in milliseconds} */
    public double maxLatencyMs() {
        return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0;
    }

    /** A fresh latency histogram in microseconds, up to one hour, 3 significant digits. */
    public static Histogram newHistogram() {
        return new org.HdrHistogram.ConcurrentHistogram(3_600_000_000L, 3);
    }
}
