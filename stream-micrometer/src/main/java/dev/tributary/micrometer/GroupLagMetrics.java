package dev.tributary.micrometer;

import static dev.tributary.micrometer.TributaryMeters.TAG_BACKEND;
import static dev.tributary.micrometer.TributaryMeters.TAG_GROUP;
import static dev.tributary.micrometer.TributaryMeters.TAG_STREAM;

import dev.tributary.GroupInfo;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.micrometer.internal.MeterContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges {@value TributaryMeters#GROUP_LAG} and {@value TributaryMeters#GROUP_PENDING} (tags
 * backend, stream, group) for consumer groups, fed by polling {@link StreamClient#groupInfo} on a
 * schedule of its own.
 *
 * <h2>Why a schedule, not a read on scrape</h2>
 * A scrape never does I/O: the gauges read the values of the last poll, so a frozen broker cannot
 * stall a metrics endpoint, and the broker sees one {@code groupInfo} per group per interval however
 * many scrapers there are. The cost is staleness of at most one interval. A value the backend cannot
 * tell (lag -1) or a poll that failed reads NaN, which registries drop, rather than a stale number.
 *
 * <h2>Bounds</h2>
 * One daemon thread per instance; polls run with a fixed delay (never overlap); at most
 * {@link Builder#maxGroups(int)} groups are watched (groups discovered beyond it are ignored and
 * logged once); the group tag also passes the {@link TributaryMetrics} cap.
 *
 * <pre>{@code
 * GroupLagMetrics lag = metrics.groupLag(client).watchStream(orders).interval(Duration.ofSeconds(15)).build();
 * lag.bindTo(registry);   // starts polling
 * ...
 * lag.close();            // stops polling and removes the gauges
 * }</pre>
 */
public final class GroupLagMetrics implements MeterBinder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupLagMetrics.class);

    private final StreamClient client;
    private final MeterContext ctx;
    private final Duration interval;
    private final int maxGroups;
    private final Set<Watch> explicit;
    private final Set<StreamName> streams;
    private final Map<Watch, Values> watched = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private ScheduledExecutorService scheduler;
    private boolean bound;
    private boolean closed;
    private boolean warnedCap;

    private record Watch(StreamName stream, String group) {}

    /** The last polled numbers of one group and its two gauges. */
    private static final class Values {
        final AtomicLong lag = new AtomicLong(-1);
        final AtomicLong pending = new AtomicLong(-1);
        final List<Gauge> gauges = new ArrayList<>(2);

        void unknown() {
            lag.set(-1);
            pending.set(-1);
        }
    }

    private GroupLagMetrics(Builder b) {
        this.client = b.client;
        this.ctx = b.ctx;
        this.interval = b.interval;
        this.maxGroups = b.maxGroups;
        this.explicit = Set.copyOf(b.groups);
        this.streams = Set.copyOf(b.streams);
    }

    /**
     * Registers the gauges of the explicitly watched groups and starts polling (unless the interval
     * is zero: then only {@link #refresh()} polls). The registry must be the one of the
     * {@link TributaryMetrics} this was built from. Binding twice does nothing.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        if (registry != ctx.registry()) {
            throw new IllegalArgumentException("bind GroupLagMetrics to the registry of its TributaryMetrics");
        }
        synchronized (lock) {
            if (bound || closed) {
                return;
            }
            bound = true;
            for (Watch w : explicit) {
                values(w);
            }
            if (!interval.isZero()) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "tributary-group-lag-" + client.backend());
                    t.setDaemon(true);
                    return t;
                });
                var unused = scheduler.scheduleWithFixedDelay(
                        this::refreshQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Polls every watched group now (also what the schedule runs). Never throws for a broker failure. */
    public void refresh() {
        synchronized (lock) {
            if (!bound || closed) {
                return;
            }
        }
        for (StreamName s : streams) {
            List<GroupInfo> infos;
            try {
                infos = client.groups(s);
            } catch (RuntimeException e) {
                LOG.debug("listing the groups of '{}' failed: {}", s, e.toString());
                watched.forEach((w, v) -> {
                    if (w.stream().equals(s) && !explicit.contains(w)) {
                        v.unknown();
                    }
                });
                continue;
            }
            for (GroupInfo info : infos) {
                Values v = values(new Watch(s, info.group()));
                if (v != null) {
                    set(v, info);
                }
            }
        }
        for (Watch w : explicit) {
            Values v = values(w);
            try {
                set(v, client.groupInfo(w.stream(), w.group()));
            } catch (RuntimeException e) {
                LOG.debug("groupInfo of '{}'/'{}' failed: {}", w.stream(), w.group(), e.toString());
                v.unknown();
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("group lag poll failed", e); // never let the schedule die
        }
    }

    private static void set(Values v, GroupInfo info) {
        v.lag.set(info.lag());
        v.pending.set(info.pending());
    }

    private Values values(Watch w) {
        Values existing = watched.get(w);
        if (existing != null) {
            return existing;
        }
        synchronized (lock) {
            existing = watched.get(w);
            if (existing != null || closed) {
                return existing;
            }
            if (watched.size() >= maxGroups) {
                if (!warnedCap) {
                    warnedCap = true;
                    LOG.warn(
                            "GroupLagMetrics watches {} groups already (maxGroups); '{}'/'{}' and further groups "
                                    + "get no lag gauge",
                            maxGroups,
                            w.stream(),
                            w.group());
                }
                return null;
            }
            Values v = new Values();
            Tags tags = Tags.of(
                    TAG_BACKEND, client.backend(), TAG_STREAM, ctx.stream(w.stream()), TAG_GROUP, ctx.group(w.group()));
            v.gauges.add(ctx.gauge(
                    TributaryMeters.GROUP_LAG,
                    "events",
                    "events not yet delivered to the group at the last poll",
                    tags,
                    v.lag,
                    GroupLagMetrics::orNaN));
            v.gauges.add(ctx.gauge(
                    TributaryMeters.GROUP_PENDING,
                    "events",
                    "events delivered and not acked at the last poll",
                    tags,
                    v.pending,
                    GroupLagMetrics::orNaN));
            watched.put(w, v);
            return v;
        }
    }

    private static double orNaN(AtomicLong n) {
        long v = n.get();
        return v < 0 ? Double.NaN : v;
    }

    /** Stops polling and removes the gauges. Idempotent. Does not close the client. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = scheduler;
        }
        if (s != null) {
            s.shutdownNow();
        }
        for (Values v : watched.values()) {
            v.gauges.forEach(ctx::remove);
        }
        watched.clear();
    }

    /** What to watch and how often. */
    public static final class Builder {
        /** Default interval between polls. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
        /** Default bound on watched groups. */
        public static final int DEFAULT_MAX_GROUPS = 100;

        private final StreamClient client;
        private final MeterContext ctx;
        private final Set<Watch> groups = new LinkedHashSet<>();
        private final Set<StreamName> streams = new LinkedHashSet<>();
        private Duration interval = DEFAULT_INTERVAL;
        private int maxGroups = DEFAULT_MAX_GROUPS;

        Builder(StreamClient client, MeterContext ctx) {
            this.client = Objects.requireNonNull(client, "client");
            this.ctx = ctx;
        }

        /** Watches one group. */
        public Builder watch(StreamName stream, String group) {
            groups.add(new Watch(Objects.requireNonNull(stream, "stream"), StreamName.check(group, "group name")));
            return this;
        }

        /** Watches every group of {@code stream}, discovered with {@link StreamClient#groups} at each poll. */
        public Builder watchStream(StreamName stream) {
            streams.add(Objects.requireNonNull(stream, "stream"));
            return this;
        }

        /** Time between polls, zero (only {@link GroupLagMetrics#refresh()} polls) or 1 s to 1 h; default 15 s. */
        public Builder interval(Duration interval) {
            if (interval == null
                    || (!interval.isZero()
                            && (interval.compareTo(Duration.ofSeconds(1)) < 0
                                    || interval.compareTo(Duration.ofHours(1)) > 0))) {
                throw new IllegalArgumentException("interval must be 0 or 1 s to 1 h, got " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** Most groups watched, 1 to 10 000; default 100. */
        public Builder maxGroups(int max) {
            if (max < 1 || max > 10_000) {
                throw new IllegalArgumentException("maxGroups must be 1 to 10000, got " + max);
            }
            this.maxGroups = max;
            return this;
        }

        /** {@return the group lag meters} */
        public GroupLagMetrics build() {
            return new GroupLagMetrics(this);
        }
    }
}
