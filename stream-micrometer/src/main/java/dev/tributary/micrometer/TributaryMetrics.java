package dev.tributary.micrometer;

import dev.tributary.StreamClient;
import dev.tributary.core.ProcessorListener;
import dev.tributary.micrometer.internal.MeterContext;
import dev.tributary.micrometer.internal.MeteredProcessorListener;
import dev.tributary.micrometer.internal.MeteredStreamClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Micrometer meters for Tributary: {@link #instrument(StreamClient)} wraps a client (appends, reads,
 * acks), {@link #processorListener()} meters a processor, {@link #groupLag(StreamClient)} polls the
 * lag and pending counts of consumer groups. Backends know nothing of Micrometer: all of it goes
 * through {@link dev.tributary.spi.ForwardingStreamClient} and {@link ProcessorListener}.
 *
 * <pre>{@code
 * TributaryMetrics metrics = TributaryMetrics.builder(registry).maxStreams(50).build();
 * StreamClient client = metrics.instrument(StreamClients.open("redis://localhost:6379"));
 * GroupProcessor.builder(client, orders, "billing", codec).listener(metrics.processorListener())...
 * }</pre>
 *
 * <h2>One instance per registry</h2>
 * Gauges ({@code tributary.append.in.flight}, processor state and lag) read numbers this object
 * owns and add up everything instrumented through it. Use one {@code TributaryMetrics} per
 * {@link MeterRegistry}; a second one registering the same gauge is reported in the log, because the
 * registry keeps reading the first one's numbers. The static shortcuts create a new instance on
 * every call and suit one client per registry.
 *
 * <h2>Bounded cardinality</h2>
 * The {@code stream} and {@code group} tags each take at most {@link Builder#maxStreams} and
 * {@link Builder#maxGroups} distinct values (first come, first kept; default
 * {@value #DEFAULT_MAX_STREAMS} each); every later name is tagged {@link TributaryMeters#OTHER} and a
 * warning is logged once. Other tags take values from small fixed sets (backend, error kind,
 * outcome, state, retry operation) or from the application's processor names.
 *
 * <p>Thread-safe.
 */
public final class TributaryMetrics {
    /** Default cap on distinct {@code stream} tag values. */
    public static final int DEFAULT_MAX_STREAMS = 100;
    /** Default cap on distinct {@code group} tag values. */
    public static final int DEFAULT_MAX_GROUPS = 100;

    private final MeterContext ctx;

    private TributaryMetrics(Builder b) {
        this.ctx = new MeterContext(b.registry, b.maxStreams, b.maxGroups, b.percentiles, b.percentileHistogram);
    }

    /** A builder of meters on {@code registry}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** Shortcut: {@code builder(registry).build().instrument(client)}. */
    public static StreamClient instrument(StreamClient client, MeterRegistry registry) {
        return builder(registry).build().instrument(client);
    }

    /** Shortcut: {@code builder(registry).build().processorListener()}. */
    public static ProcessorListener processorListener(MeterRegistry registry) {
        return builder(registry).build().processorListener();
    }

    /**
     * A client that meters appends, reads, acks and nacks and forwards everything to {@code client}.
     * Closing it closes {@code client}.
     */
    public StreamClient instrument(StreamClient client) {
        return new MeteredStreamClient(Objects.requireNonNull(client, "client"), ctx);
    }

    /**
     * A listener that meters processors (handled, filtered, failed, retried, dead-lettered, handler
     * time, errors, gaps, state, lag). One listener may serve several processors with distinct
     * names; pass it to {@code ProcessorBuilder.listener}.
     */
    public ProcessorListener processorListener() {
        return new MeteredProcessorListener(ctx);
    }

    /** A builder of lag and pending gauges for groups of {@code client}, sharing this object's tag caps. */
    public GroupLagMetrics.Builder groupLag(StreamClient client) {
        return new GroupLagMetrics.Builder(client, ctx);
    }

    /** The registry meters go to. */
    public MeterRegistry registry() {
        return ctx.registry();
    }

    /** Settings of a {@link TributaryMetrics}. */
    public static final class Builder {
        private final MeterRegistry registry;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private int maxGroups = DEFAULT_MAX_GROUPS;
        private double[] percentiles = {};
        private boolean percentileHistogram;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Distinct {@code stream} tag values before names become {@code (other)}; 0 to 10 000. */
        public Builder maxStreams(int max) {
            this.maxStreams = checkCap(max, "maxStreams");
            return this;
        }

        /** Distinct {@code group} tag values before names become {@code (other)}; 0 to 10 000. */
        public Builder maxGroups(int max) {
            this.maxGroups = checkCap(max, "maxGroups");
            return this;
        }

        /**
         * Client-side percentiles of the append and handler timers, for example {@code 0.5, 0.95, 0.99}
         * (default: none). Off by default because they cost on every sample: each timer keeps a
         * rotating set of histograms and every append pays to update them (measured at about 100 to
         * 200 ns per append, docs/observability.md "Overhead"); count, total and max are always
         * published. They cannot be aggregated across instances; see
         * {@link #percentileHistogram(boolean)} for that.
         */
        public Builder percentiles(double... percentiles) {
            for (double p : percentiles) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("percentiles must be 0 to 1, got " + p);
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /**
         * Publish histogram buckets for the timers (aggregatable percentiles, for example Prometheus'
         * {@code histogram_quantile}); default false, for the same per-sample cost as
         * {@link #percentiles(double...)}.
         */
        public Builder percentileHistogram(boolean on) {
            this.percentileHistogram = on;
            return this;
        }

        /** {@return the meters, ready to wrap clients and listen to processors} */
        public TributaryMetrics build() {
            return new TributaryMetrics(this);
        }

        private static int checkCap(int max, String what) {
            if (max < 0 || max > 10_000) {
                throw new IllegalArgumentException(what + " must be 0 to 10000, got " + max);
            }
            return max;
        }
    }
}
