package dev.tributary.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readers and group consumers a client has open, and how they close with it. Package-private:
 * {@link AbstractStreamClient}'s bookkeeping, apart from its checks.
 */
final class OpenEndpoints {
    private final Set<PollingEndpoint> open = ConcurrentHashMap.newKeySet();

    /**
     * Tracks an endpoint until it closes. If the client closed meanwhile ({@code clientClosed} is
     * read after the endpoint was added), its close may have missed this one, so it is closed here.
     */
    <T extends PollingEndpoint> T track(T endpoint, OpenState client) {
        endpoint.onClose(() -> open.remove(endpoint));
        open.add(endpoint);
        if (client.isClosed()) {
            closeQuietly(endpoint);
        }
        return endpoint;
    }

    /**
     * Closes every open endpoint, each on its own short-lived thread when there are several,
     * waiting for them until {@code until} (a {@link System#nanoTime()} value): members that each
     * take part of the close timeout to leave their group must not add up beyond it. One that is
     * still closing then finishes in the background.
     */
    void closeAll(long until) {
        List<PollingEndpoint> endpoints = new ArrayList<>(open);
        if (endpoints.size() <= 1) {
            endpoints.forEach(OpenEndpoints::closeQuietly);
            return;
        }
        List<Thread> closing = new ArrayList<>(endpoints.size());
        for (PollingEndpoint c : endpoints) {
            Thread t = new Thread(
                    () -> closeQuietly(c), "tributary-close-" + c.getClass().getSimpleName());
            t.setDaemon(true);
            t.start();
            closing.add(t);
        }
        try {
            for (Thread t : closing) {
                t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // a reader that fails to close must not keep the client open; it is closed as far as we go
        }
    }
}
