package dev.tributary.micrometer.internal;

import static dev.tributary.micrometer.TributaryMeters.TAG_BACKEND;
import static dev.tributary.micrometer.TributaryMeters.TAG_GROUP;
import static dev.tributary.micrometer.TributaryMeters.TAG_KIND;
import static dev.tributary.micrometer.TributaryMeters.TAG_OPERATION;
import static dev.tributary.micrometer.TributaryMeters.TAG_OUTCOME;
import static dev.tributary.micrometer.TributaryMeters.TAG_PROCESSOR;
import static dev.tributary.micrometer.TributaryMeters.TAG_REASON;
import static dev.tributary.micrometer.TributaryMeters.TAG_STATE;
import static dev.tributary.micrometer.TributaryMeters.TAG_STREAM;

import dev.tributary.EventId;
import dev.tributary.Position;
import dev.tributary.StreamEvent;
import dev.tributary.StreamName;
import dev.tributary.core.GapPolicy;
import dev.tributary.core.ProcessorListener;
import dev.tributary.core.ProcessorState;
import dev.tributary.micrometer.TributaryMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns processor events into meters. A processor is known by the name it announces in
 * {@link #onCreated}; one listener may serve several processors with distinct names. State counts
 * and lag live in the shared {@link MeterContext}, so processors with equal tags add up.
 */
public final class MeteredProcessorListener implements ProcessorListener {
    private static final String UNKNOWN = "unknown";

    private final MeterContext ctx;
    private final ConcurrentHashMap<String, Proc> procs = new ConcurrentHashMap<>();

    public MeteredProcessorListener(MeterContext ctx) {
        this.ctx = ctx;
    }

    /** The state gauges and lag of one tag set, shared through the context. */
    private static final class Shared {
        final AtomicInteger[] states = new AtomicInteger[ProcessorState.values().length];
        final AtomicLong lag = new AtomicLong(-1);

        Shared() {
            for (int i = 0; i < states.length; i++) {
                states[i] = new AtomicInteger();
            }
        }
    }

    /** The meters of one processor. */
    private final class Proc {
        final Tags tags;
        final Shared shared;
        final Counter handled;
        final Counter filtered;
        final Counter failed;
        final Counter gaps;
        final Timer handlerOk;
        final Timer handlerFailed;
        final ConcurrentHashMap<String, Counter> byTag = new ConcurrentHashMap<>();

        @SuppressWarnings(
                "EnumOrdinal") // the index of a lock-free array with a slot per constant, in this process only
        Proc(String processor, String backend, StreamName stream, String group) {
            tags = Tags.of(
                    TAG_PROCESSOR,
                    processor,
                    TAG_BACKEND,
                    backend,
                    TAG_STREAM,
                    ctx.stream(stream),
                    TAG_GROUP,
                    ctx.group(group));
            shared = ctx.shared(tags, t -> {
                Shared s = new Shared();
                for (ProcessorState st : ProcessorState.values()) {
                    AtomicInteger n = s.states[st.ordinal()];
                    ctx.gauge(
                            TributaryMeters.PROCESSOR_STATE,
                            null,
                            "processors in this state",
                            t.and(TAG_STATE, st.name()),
                            n,
                            AtomicInteger::get);
                }
                ctx.gauge(
                        TributaryMeters.PROCESSOR_LAG,
                        "events",
                        "lag the processor last reported",
                        t,
                        s.lag,
                        l -> l.get() < 0 ? Double.NaN : l.get());
                return s;
            });
            handled = ctx.counter(TributaryMeters.PROCESSOR_HANDLED, "events", "events handled", tags);
            filtered = ctx.counter(TributaryMeters.PROCESSOR_FILTERED, "events", "events the filter rejected", tags);
            failed =
                    ctx.counter(TributaryMeters.PROCESSOR_FAILED, "events", "events of handler calls that threw", tags);
            gaps = ctx.counter(TributaryMeters.PROCESSOR_GAPS, null, "events lost before they were read", tags);
            handlerOk = ctx.timer(
                    TributaryMeters.PROCESSOR_HANDLER, "handler calls", tags.and(TAG_OUTCOME, TributaryMeters.SUCCESS));
            handlerFailed = ctx.timer(
                    TributaryMeters.PROCESSOR_HANDLER, "handler calls", tags.and(TAG_OUTCOME, TributaryMeters.FAILURE));
        }

        Counter counter(String name, String unit, String tagKey, String tagValue) {
            return byTag.computeIfAbsent(
                    name + '\u0000' + tagValue, k -> ctx.counter(name, unit, null, tags.and(tagKey, tagValue)));
        }
    }

    private Proc proc(String processor) {
        return procs.computeIfAbsent(processor, p -> new Proc(p, UNKNOWN, null, null));
    }

    @Override
    @SuppressWarnings("EnumOrdinal") // the index of a lock-free array with a slot per constant, in this process only
    public void onCreated(String processor, String backend, StreamName stream, String group) {
        Proc p = new Proc(processor, backend, stream, group);
        procs.put(processor, p);
        p.shared.states[ProcessorState.NEW.ordinal()].incrementAndGet();
    }

    @Override
    @SuppressWarnings("EnumOrdinal") // the index of a lock-free array with a slot per constant, in this process only
    public void onStateChange(String processor, ProcessorState from, ProcessorState to, Throwable cause) {
        Proc p = proc(processor);
        if (from != null) {
            p.shared.states[from.ordinal()].updateAndGet(n -> Math.max(0, n - 1));
        }
        p.shared.states[to.ordinal()].incrementAndGet();
    }

    @Override
    public void onBatch(String processor, int received, int filtered, int deadLettered, EventId lastId) {
        Proc p = proc(processor);
        p.handled.increment(Math.max(0, received - filtered - deadLettered));
        p.filtered.increment(filtered);
    }

    @Override
    public void onHandlerCall(String processor, int events, Duration elapsed, Throwable error) {
        Proc p = proc(processor);
        if (error == null) {
            p.handlerOk.record(elapsed);
        } else {
            p.handlerFailed.record(elapsed);
            p.failed.increment(events);
        }
    }

    @Override
    public void onRetry(String processor, String operation, int attempt, Duration delay, Throwable error) {
        proc(processor)
                .counter(TributaryMeters.PROCESSOR_RETRIED, null, TAG_OPERATION, operation)
                .increment();
    }

    @Override
    public void onError(String processor, Throwable error, boolean willRetry) {
        proc(processor)
                .counter(
                        TributaryMeters.PROCESSOR_ERRORS,
                        null,
                        TAG_KIND,
                        Kinds.of(error).name())
                .increment();
    }

    @Override
    public void onDeadLetter(
            String processor,
            StreamEvent event,
            StreamName deadLetterStream,
            EventId deadLetterId,
            int attempts,
            Throwable error) {
        String reason = attempts == 0 ? "decode" : "handler";
        proc(processor)
                .counter(TributaryMeters.PROCESSOR_DEAD_LETTERED, "events", TAG_REASON, reason)
                .increment();
    }

    @Override
    public void onGap(String processor, StreamName stream, Position expected, GapPolicy policy) {
        proc(processor).gaps.increment();
    }

    @Override
    public void onLag(String processor, long lag) {
        proc(processor).shared.lag.set(lag);
    }
}
