package dev.tributary.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.spi.ProviderContext;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.function.Executable;

/** Helpers shared by the tests. */
final class Fixtures {
    private Fixtures() {}

    /** A private-store client; {@code query} like {@code "maxStreamBytes=100"} or empty. */
    static StreamClient client(String query) {
        return client(query, Clock.systemUTC());
    }

    static StreamClient client(String query, Clock clock) {
        ClientConfig config = ClientConfig.parse("memory:?" + query);
        return new MemoryStreamProvider().create(new ProviderContext(config, clock));
    }

    static StreamName fresh(String prefix) {
        return StreamName.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    static StreamException fails(ErrorKind kind, Executable call) {
        StreamException e = assertThrows(StreamException.class, call);
        assertEquals(kind, e.kind(), () -> "expected " + kind + " but got " + e);
        return e;
    }
}
