package dev.tributary.benchmarks;

import org.springframework.context.Lifecycle;

/**
 * A side whose consumer is a Spring listener container: {@link #prepare} builds the round's container,
 * stopped (untimed); the timed part starts it and waits until its listener counted every record;
 * {@link #finish} stops it.
 */
abstract class ListenerContainerSide implements Side {
    private int round;
    private Progress progress;
    private Lifecycle container;

    /** A fresh consumer group name for each round: {@code peers-1}, {@code peers-2}, … */
    final String nextGroup() {
        return "peers-" + ++round;
    }

    /** Builds the round's container on {@code stream}, not started, whose listener counts into {@code progress}. */
    abstract Lifecycle container(String stream, Progress progress);

    @Override
    public final void prepare(String stream, int records) {
        Progress p = new Progress(records);
        progress = p;
        container = container(stream, p);
    }

    @Override
    public final void run(int records) throws Exception {
        container.start();
        progress.await(() -> null);
    }

    @Override
    public final void finish() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    @Override
    public void close() {
        finish();
    }
}
