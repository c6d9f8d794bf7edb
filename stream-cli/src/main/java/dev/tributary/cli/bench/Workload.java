package dev.tributary.cli.bench;

/**
 * The work of one bench run, the same for Tributary and the raw client.
 *
 * @param records   records appended, then consumed, per round
 * @param size      payload bytes per record
 * @param batch     raw pipelining flush interval and consume batch size (records per poll and ack);
 *                  with {@code batchAppend}, also records per Tributary batch append
 * @param producers appending threads (records are split between them)
 * @param consumers members of the consumer group that reads them back
 * @param window    appends in flight at most, per producer
 * @param batchAppend Tributary appends with {@code appendBatchAsync} instead of one {@code appendAsync}
 *                  per record
 */
public record Workload(
        int records, int size, int batch, int producers, int consumers, int window, boolean batchAppend) {
    /** The largest batch: a processor's largest {@code batchSize}, as the processors read in batches of it. */
    public static final int MAX_BATCH = 100_000;

    public Workload {
        if (records < 1 || size < 0 || batch < 1 || producers < 1 || consumers < 1 || window < 1) {
            throw new IllegalArgumentException("bench settings must be positive");
        }
        if (batch > MAX_BATCH) {
            throw new IllegalArgumentException(
                    "--batch is at most " + MAX_BATCH + " (a processor's largest batchSize), got " + batch);
        }
    }

    /** Records producer {@code p} appends. */
    public int recordsOf(int p) {
        int base = records / producers;
        return p < records % producers ? base + 1 : base;
    }
}
