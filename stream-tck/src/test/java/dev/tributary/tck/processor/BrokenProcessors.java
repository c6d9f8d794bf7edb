package dev.tributary.tck.processor;

import dev.tributary.GroupOptions;
import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.CheckpointStore;
import dev.tributary.core.Handler;
import dev.tributary.core.Message;
import dev.tributary.core.Processor;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.processor.internal.ProcessorFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deliberately broken processors on the (correct) memory backend, each breaking one promise of
 * stream-core's processors the way a real processor bug would. {@link BrokenProcessorsTest} runs C9
 * and C10 on each and checks that the expected rule catches it. (Not named *Test: surefire must not
 * run these kits directly.)
 */
final class BrokenProcessors {
    private BrokenProcessors() {}

    /**
     * The processor kit on the memory store, its processors stream-core's, with what a broken processor
     * changes: the handler each is given ({@link #wrap}) and the group options it is built with.
     */
    abstract static class Broken extends ProcessorTck {
        @Override
        protected BrokerFixture fixture() {
            return MemoryProcessorTckTest.FIXTURE;
        }

        /** The handler the processor named {@code name} runs; {@code store} is null for a group processor. */
        Handler<String> wrap(Handler<String> handler, CheckpointStore store, String name) {
            return handler;
        }

        /** The options a group processor is built with when it was asked for {@code asked}. */
        GroupOptions groupOptions(GroupOptions asked) {
            return asked;
        }

        @Override
        ProcessorFactory processors() {
            return new ProcessorFactory() {
                @Override
                public Processor tail(
                        StreamClient client,
                        StreamName stream,
                        String name,
                        CheckpointStore checkpoints,
                        Handler<String> handler) {
                    return STREAM_CORE.tail(client, stream, name, checkpoints, wrap(handler, checkpoints, name));
                }

                @Override
                public Processor group(
                        StreamClient client,
                        StreamName stream,
                        String group,
                        GroupOptions options,
                        int lanes,
                        Handler<String> handler) {
                    return STREAM_CORE.group(
                            client, stream, group, groupOptions(options), lanes, wrap(handler, null, group));
                }
            };
        }
    }

    /** Saves each event's id as the checkpoint before handing the event to the handler. */
    static final class CheckpointsBeforeHandling extends Broken {
        @Override
        Handler<String> wrap(Handler<String> handler, CheckpointStore store, String name) {
            return m -> {
                if (store != null) {
                    store.save(name, m.id());
                }
                handler.handle(m);
            };
        }
    }

    /** Drops every 13th event without handing it to the handler (and checkpoints or acks past it). */
    static final class SkipsEvents extends Broken {
        @Override
        Handler<String> wrap(Handler<String> handler, CheckpointStore store, String name) {
            AtomicInteger n = new AtomicInteger();
            return m -> {
                if (n.incrementAndGet() % 13 != 0) {
                    handler.handle(m);
                }
            };
        }
    }

    /** Hands a key's events over in swapped pairs (the second before the first), as a lane mix-up would. */
    static final class SwapsKeyOrder extends Broken {
        @Override
        Handler<String> wrap(Handler<String> handler, CheckpointStore store, String name) {
            if (store != null) {
                return handler; // only the group processor's lanes are broken
            }
            Map<String, Message<String>> held = new ConcurrentHashMap<>();
            return m -> {
                String key = String.valueOf(m.key());
                Message<String> before = held.remove(key);
                if (before == null) {
                    held.put(key, m);
                    return;
                }
                handler.handle(m);
                handler.handle(before);
            };
        }
    }

    /** Creates every group at the defaults (earliest), whatever start it was asked for. */
    static final class IgnoresGroupStart extends Broken {
        @Override
        GroupOptions groupOptions(GroupOptions asked) {
            return GroupOptions.defaults();
        }
    }
}
