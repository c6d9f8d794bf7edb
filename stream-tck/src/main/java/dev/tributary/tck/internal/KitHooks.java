package dev.tributary.tck.internal;

import dev.tributary.ClientConfig;
import dev.tributary.StreamClient;
import dev.tributary.tck.BrokerFixture;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/** The hooks of the kit class, as the rule bodies see them (the kit class bridges its protected hooks). */
public interface KitHooks {
    BrokerFixture fixture();

    StreamClient openClient();

    StreamClient openClient(ClientConfig config);

    Optional<ClientConfig> wrongCredentials();

    Duration groupAckTimeout();

    boolean faultsKillBroker();

    /** The configuration the K rules open their clients with; empty: the default client. */
    default Optional<ClientConfig> partitionedConfig() {
        return Optional.empty();
    }

    /** {@code base} whose K rules open clients with {@code config}'s answer. */
    static KitHooks withPartitionedConfig(KitHooks base, Supplier<Optional<ClientConfig>> config) {
        return new KitHooks() {
            @Override
            public BrokerFixture fixture() {
                return base.fixture();
            }

            @Override
            public StreamClient openClient() {
                return base.openClient();
            }

            @Override
            public StreamClient openClient(ClientConfig c) {
                return base.openClient(c);
            }

            @Override
            public Optional<ClientConfig> wrongCredentials() {
                return base.wrongCredentials();
            }

            @Override
            public Duration groupAckTimeout() {
                return base.groupAckTimeout();
            }

            @Override
            public boolean faultsKillBroker() {
                return base.faultsKillBroker();
            }

            @Override
            public Optional<ClientConfig> partitionedConfig() {
                return config.get();
            }
        };
    }

    /** Hooks that call the given methods (a kit class passes method references to its protected hooks). */
    static KitHooks of(
            Supplier<BrokerFixture> fixture,
            Supplier<StreamClient> openClient,
            Function<ClientConfig, StreamClient> openClientWith,
            Supplier<Optional<ClientConfig>> wrongCredentials,
            Supplier<Duration> groupAckTimeout,
            BooleanSupplier faultsKillBroker) {
        return new KitHooks() {
            @Override
            public BrokerFixture fixture() {
                return fixture.get();
            }

            @Override
            public StreamClient openClient() {
                return openClient.get();
            }

            @Override
            public StreamClient openClient(ClientConfig config) {
                return openClientWith.apply(config);
            }

            @Override
            public Optional<ClientConfig> wrongCredentials() {
                return wrongCredentials.get();
            }

            @Override
            public Duration groupAckTimeout() {
                return groupAckTimeout.get();
            }

            @Override
            public boolean faultsKillBroker() {
                return faultsKillBroker.getAsBoolean();
            }
        };
    }
}
