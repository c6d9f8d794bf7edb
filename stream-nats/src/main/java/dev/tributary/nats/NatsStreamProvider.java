package dev.tributary.nats;

import com.google.auto.service.AutoService;
import dev.tributary.Capability;
import dev.tributary.StreamClient;
import dev.tributary.nats.internal.NatsConnector;
import dev.tributary.nats.internal.NatsStreamClient;
import dev.tributary.spi.ProviderContext;
import dev.tributary.spi.StreamProvider;
import java.util.Set;

/**
 * The NATS JetStream backend: name {@code nats}, URI schemes {@code nats} and {@code tls}, e.g.
 * {@code nats://user:secret@localhost:4222?namespace=orders&duplicateWindow=5m}. A cheap factory: the
 * constructor does no I/O; {@link #create} validates the options, connects and checks that JetStream
 * is enabled. The URI options are listed in the module README.
 */
@AutoService(StreamProvider.class)
public final class NatsStreamProvider implements StreamProvider {

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("nats", "tls");
    }

    @Override
    public Set<Capability> capabilities() {
        return NatsStreamClient.CAPABILITIES;
    }

    @Override
    public StreamClient create(ProviderContext context) {
        return NatsConnector.connect(context.config(), context.clock());
    }
}
