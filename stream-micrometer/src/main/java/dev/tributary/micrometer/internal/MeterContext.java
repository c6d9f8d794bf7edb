package dev.tributary.micrometer.internal;

import dev.tributary.StreamName;
import dev.tributary.micrometer.TributaryMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every meter of one {@code TributaryMetrics} shares: the registry, the tag caps, the timer
 * settings and the state behind gauges. Gauges read numbers this context owns, so a gauge shows
 * the sum over every client and processor instrumented through the same context.
 */
public final class MeterContext {
    private static final Logger LOG = LoggerFactory.getLogger(MeterContext.class);

    private final MeterRegistry registry;
    private final TagLimiter streams;
    private final TagLimiter groups;
    private final double[] percentiles;
    private final boolean histogram;
    private final ConcurrentHashMap<String, LongAdder> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, Object> shared = new ConcurrentHashMap<>();
    private final Set<Meter.Id> ownGauges = ConcurrentHashMap.newKeySet();

    public MeterContext(
            MeterRegistry registry, int maxStreams, int maxGroups, double[] percentiles, boolean histogram) {
        this.registry = registry;
        this.streams = new TagLimiter(TributaryMeters.TAG_STREAM, maxStreams);
        this.groups = new TagLimiter(TributaryMeters.TAG_GROUP, maxGroups);
        this.percentiles = percentiles.clone();
        this.histogram = histogram;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The stream tag: the name while under the cap, else {@link TributaryMeters#OTHER}. */
    public String stream(StreamName stream) {
        return stream == null ? TributaryMeters.OTHER : streams.tag(stream.value());
    }

    /** The group tag: {@link TributaryMeters#NONE} for no group, the name under the cap, else OTHER. */
    public String group(String group) {
        return group == null ? TributaryMeters.NONE : groups.tag(group);
    }

    public Timer timer(String name, String description, Tags tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentiles(percentiles)
                .publishPercentileHistogram(histogram)
                .register(registry);
    }

    public Counter counter(String name, String unit, String description, Tags tags) {
        return Counter.builder(name)
                .baseUnit(unit)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    /** The in-flight count of a backend, with its gauge registered on first use. */
    public LongAdder inFlight(String backend) {
        return inFlight.computeIfAbsent(backend, b -> {
            LongAdder adder = new LongAdder();
            gauge(
                    TributaryMeters.APPEND_IN_FLIGHT,
                    "records",
                    "appends handed to the backend and not yet completed",
                    Tags.of(TributaryMeters.TAG_BACKEND, b),
                    adder,
                    LongAdder::sum);
            return adder;
        });
    }

    /** A value shared by everything instrumented through this context, created once per key. */
    @SuppressWarnings("unchecked")
    public <K, V> V shared(K key, Function<K, V> create) {
        return (V) shared.computeIfAbsent(key, k -> create.apply((K) k));
    }

    /**
     * Registers a gauge that reads {@code state}. A registry keeps the first gauge of an id; if
     * another {@code TributaryMetrics} registered it first, this one's numbers would be invisible, so
     * that is reported rather than left silent.
     */
    public <T> Gauge gauge(String name, String unit, String description, Tags tags, T state, ToDoubleFunction<T> f) {
        for (Gauge g : registry.find(name).tags(tags).gauges()) {
            if (g.getId().getTags().size() == tags.stream().count() && !ownGauges.contains(g.getId())) {
                LOG.warn(
                        "gauge {}{} was registered by another TributaryMetrics on this registry; it keeps reading "
                                + "that one's values. Share one TributaryMetrics per MeterRegistry.",
                        name,
                        tags);
            }
        }
        Gauge g = Gauge.builder(name, state, f)
                .baseUnit(unit)
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
        ownGauges.add(g.getId());
        return g;
    }

    /** Removes a gauge this context registered (for meters whose source went away). */
    public void remove(Meter meter) {
        ownGauges.remove(meter.getId());
        registry.remove(meter);
    }
}
