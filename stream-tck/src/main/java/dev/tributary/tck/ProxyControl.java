package dev.tributary.tck;

import java.time.Duration;

/**
 * Control of a loopback TCP fault proxy between the kit's clients and the broker, for the network
 * fault rules (F8–F10). Every method takes effect at once, for open connections and new ones alike;
 * the proxy keeps accepting connections whatever its state. A fixture's proxy is shared by every
 * rule of a run, so each rule {@linkplain #heal() heals} it when it ends.
 */
public interface ProxyControl {

    /** The direction bytes travel through the proxy. */
    enum Direction {
        /** From the client to the broker (requests). */
        TO_BROKER,
        /** From the broker to the client (replies, deliveries). */
        TO_CLIENT
    }

    /**
     * Resets every open connection: both of its sockets (the client's and the broker's) are closed
     * with {@code SO_LINGER 0}, so each peer sees a TCP RST, and whatever the proxy held for it is
     * dropped. New connections are accepted as before.
     */
    void resetAll();

    /**
     * Turns the black hole on or off. While on, connections are accepted and kept open, but no byte
     * is forwarded in either direction. Bytes sent meanwhile are <em>held, not dropped</em> — in the
     * proxy's bounded queues, then in the kernel's socket buffers, after which the sender blocks — and
     * are delivered in order once the black hole is turned off, as TCP delivers what it retransmits
     * after a partition heals. A peer that closes meanwhile has its close forwarded after its bytes.
     */
    void blackhole(boolean on);

    /** Delays every byte travelling in {@code direction} by {@code latency} (zero: none). */
    void latency(Direction direction, Duration latency);

    /** The same latency in both directions. */
    default void latency(Duration latency) {
        latency(Direction.TO_BROKER, latency);
        latency(Direction.TO_CLIENT, latency);
    }

    /** Limits each direction of each connection to {@code bytesPerSecond}; 0 removes the limit. */
    void throttle(long bytesPerSecond);

    /** Back to a plain pipe: no black hole, no latency, no throttle. Open connections stay open. */
    default void heal() {
        blackhole(false);
        latency(Duration.ZERO);
        throttle(0);
    }

    /** The number of connections open through the proxy now. */
    int openConnections();
}
