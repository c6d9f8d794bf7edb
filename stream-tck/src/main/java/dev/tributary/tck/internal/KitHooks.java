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

    /** Hooks that call the given methods (a kit class passes method references to its protected hooks). */
    static KitHooks of(
            Supplier<BrokerFixture> fixture,
            Supplier<StreamClient> openClient,
            Function<ClientConfig, StreamClient> openClientWith,
            Supplier<Optional<ClientConfig>> wrongCredentials,
            Supplier<Duration> groupAckTimeout,
            BooleanSupplier faultsKillBroker) {
        return of(
                fixture,
                openClient,
                openClientWith,
                wrongCredentials,
                groupAckTimeout,
                faultsKillBroker,
                Optional::empty);
    }

    /** Hooks that call the given methods, the K rules' client configuration included. */
    static KitHooks of(
            Supplier<BrokerFixture> fixture,
            Supplier<StreamClient> openClient,
            Function<ClientConfig, StreamClient> openClientWith,
            Supplier<Optional<ClientConfig>> wrongCredentials,
            Supplier<Duration> groupAckTimeout,
            BooleanSupplier faultsKillBroker,
            Supplier<Optional<ClientConfig>> partitionedConfig) {
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

            @Override
            public Optional<ClientConfig> partitionedConfig() {
                return partitionedConfig.get();
            }
        };
    }
}
