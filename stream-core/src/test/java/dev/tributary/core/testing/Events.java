package dev.tributary.core.testing;

import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamName;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers for tests: a private memory client and fresh names. */
public final class Events {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Events() {}

    /**
     * A memory client of a store of its own. (A named store: {@code ClientConfig.parse("memory:")}
     * is rejected by java.net.URI as an opaque URI without a scheme-specific part.)
     */
    public static StreamClient memory() {
        return StreamClients.open("memory:core-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
    }

    public static StreamName fresh(String prefix) {
        return StreamName.of(prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
    }
}
