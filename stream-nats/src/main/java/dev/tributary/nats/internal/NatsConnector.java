package dev.tributary.nats.internal;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.support.Status;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the one connection of a client: automatic reconnect forever (every {@code reconnectWait}),
 * no reconnect buffer (a publish while disconnected fails at once instead of queueing unboundedly),
 * pings every {@code pingInterval} so that a frozen server is detected, credentials passed to jnats
 * apart from the server URL, and jnats' own diagnostics routed to SLF4J with secrets removed. A
 * {@code tls://} connection checks the server certificate (trusted CA, validity, host name; see
 * {@link NatsTls}); a certificate that fails fails the connect at once as {@code CONFIGURATION}.
 */
public final class NatsConnector {
    private static final Logger LOG = LoggerFactory.getLogger(NatsConnector.class);

    private NatsConnector() {}

    /** Connects; see {@link dev.tributary.spi.StreamProvider#create} for the errors. */
    public static NatsStreamClient connect(ClientConfig config, Clock clock) {
        NatsSettings s = NatsSettings.from(config);
        NatsErrors errors = new NatsErrors(s.secrets(), s.host());
        LoggingErrorListener listener = new LoggingErrorListener(errors, s.safeUri());
        LoggingConnectionListener connections = new LoggingConnectionListener(s.safeUri());
        Options.Builder b = options(s, errors).errorListener(listener).connectionListener(connections);
        Connection c;
        listener.connecting = Thread.currentThread();
        try {
            c = Nats.connect(b.build());
        } catch (InterruptedException e) {
            if (listener.rejected) {
                // our listener interrupted the connect: the server refused the credentials, and jnats
                // would otherwise wait out the whole connect timeout before giving up
                throw new StreamException(
                        ErrorKind.AUTHENTICATION,
                        "connecting to " + s.safeUri()
                                + " failed: the server rejected the credentials (Authorization Violation); check the "
                                + "user, password or token of the URI");
            }
            Thread.currentThread().interrupt();
            throw new StreamException(ErrorKind.RETRYABLE, "interrupted while connecting to " + s.safeUri());
        } catch (IOException | RuntimeException e) {
            StreamException se = errors.map(e, "connecting to " + s.safeUri(), false);
            Exception seen = listener.lastException;
            if (se.kind() == ErrorKind.RETRYABLE && seen != null) {
                // jnats reports "unable to connect" and hands the real reason to the listener only
                StreamException why = errors.map(seen, "connecting to " + s.safeUri(), false);
                if (why.isFatal()) {
                    se = why;
                }
            }
            if (se.kind() == ErrorKind.INTERNAL) {
                se = errors.wrap(ErrorKind.RETRYABLE, "connecting to " + s.safeUri() + " failed: " + e.getMessage(), e);
            }
            throw se;
        } finally {
            synchronized (listener) {
                listener.connecting = null;
                if (listener.rejected) {
                    Thread.interrupted(); // clear an interrupt of ours that arrived after connect returned
                }
            }
        }
        if (!c.getServerInfo().isJetStreamAvailable()) {
            closeQuietly(c);
            throw new StreamException(
                    ErrorKind.CONFIGURATION,
                    "the NATS server at " + s.safeUri()
                            + " does not have JetStream enabled; start nats-server with -js (or enable it for the account)");
        }
        try {
            return new NatsStreamClient(s, c, errors, clock);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * The connection options of {@code s}, listeners aside. For {@code tls://} the host of the URI is
     * kept as written: jnats would otherwise replace a host name by an address it resolves to before
     * the TLS handshake, so the certificate would be checked against an IP address and no SNI sent.
     * In jnats 2.26 {@code noResolveHostnames()} alone means "resolve to the first address" (and mode
     * {@code Unresolved} hands the socket an unresolved address it cannot connect to: it is meant for
     * proxies); {@code enableFastFallback()} (mode {@code HappyEyeballs}) keeps the name for the handshake
     * and resolves it only to open the socket, trying the addresses in turn. Both calls together keep
     * the name on jnats 2.24 as well.
     */
    static Options.Builder options(NatsSettings s, NatsErrors errors) {
        Options.Builder b = new Options.Builder()
                .servers(s.serverUrls().toArray(new String[0]))
                .connectionName("tributary")
                .connectionTimeout(s.connectTimeout())
                .maxReconnects(-1)
                .reconnectWait(s.reconnectWait())
                .reconnectBufferSize(0)
                .pingInterval(s.pingInterval())
                .maxPingsOut(2);
        if (s.user().isPresent()) {
            b.userInfo(s.user().get().toCharArray(), s.password());
        } else if (s.token() != null) {
            b.token(s.token());
        }
        if (s.tls()) {
            b.noResolveHostnames().enableFastFallback();
            try {
                if (s.tlsInsecure()) {
                    b.opentls();
                } else {
                    b.sslContext(NatsTls.context(s));
                }
            } catch (GeneralSecurityException | IOException e) {
                throw errors.wrap(
                        ErrorKind.CONFIGURATION, "cannot set up TLS for " + s.safeUri() + ": " + e.getMessage(), e);
            }
        }
        return b;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** jnats diagnostics to SLF4J, secrets removed. */
    static final class LoggingErrorListener implements ErrorListener {
        private final NatsErrors errors;
        private final String uri;
        /** The last exception jnats reported (the reason behind a failed connect). */
        volatile Exception lastException;
        /** The thread inside {@code Nats.connect}, interrupted when the server rejects the credentials. */
        volatile Thread connecting;

        volatile boolean rejected;

        LoggingErrorListener(NatsErrors errors, String uri) {
            this.errors = errors;
            this.uri = uri;
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warn("NATS server {} reported: {}", uri, errors.redact(error));
            String e = String.valueOf(error).toLowerCase(java.util.Locale.ROOT);
            if (e.contains("authorization violation") || e.contains("authentication")) {
                synchronized (this) {
                    Thread t = connecting;
                    if (t != null) {
                        rejected = true;
                        t.interrupt();
                    }
                }
            }
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            lastException = exp;
            LOG.debug("NATS connection {}: {}", uri, errors.redact(String.valueOf(exp)));
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            LOG.warn("NATS connection {}: slow consumer, messages dropped by the client", uri);
        }

        @Override
        public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
            LOG.debug("NATS pull status {}", status);
        }
    }

    /**
     * Connection state changes to SLF4J: one WARN when the connection is lost and one INFO when it is
     * back, with how long it was down. jnats reports DISCONNECTED again after every failed reconnect
     * attempt (every {@code reconnectWait}, 250 ms by default); those go to DEBUG, so an outage does
     * not flood the application's log.
     */
    static final class LoggingConnectionListener implements ConnectionListener {
        private final String uri;
        private final AtomicLong downSinceNanos = new AtomicLong();
        private final AtomicLong attempts = new AtomicLong();
        private final AtomicLong warnings = new AtomicLong();

        LoggingConnectionListener(String uri) {
            this.uri = uri;
        }

        @Override
        @SuppressWarnings("deprecation") // still the only abstract method of the interface in jnats 2.26
        public void connectionEvent(Connection conn, Events type) {
            switch (type) {
                case DISCONNECTED -> disconnected();
                case RECONNECTED -> reconnected();
                case CLOSED -> LOG.debug("connection to NATS server {} closed", uri);
                default -> LOG.debug("NATS connection {}: {}", uri, type);
            }
        }

        private void disconnected() {
            long now = System.nanoTime();
            if (downSinceNanos.compareAndSet(0, now == 0 ? 1 : now)) {
                attempts.set(0);
                warnings.incrementAndGet();
                LOG.warn("disconnected from NATS server {}; reconnecting", uri);
            } else {
                LOG.debug(
                        "NATS server {} still unreachable (reconnect attempt {} failed)",
                        uri,
                        attempts.incrementAndGet());
            }
        }

        private void reconnected() {
            long since = downSinceNanos.getAndSet(0);
            if (since == 0) {
                LOG.info("reconnected to NATS server {}", uri);
            } else {
                LOG.info("reconnected to NATS server {} after {} ms", uri, (System.nanoTime() - since) / 1_000_000);
            }
        }

        /** Whether the connection is down as far as the events told (for tests). */
        boolean down() {
            return downSinceNanos.get() != 0;
        }

        /** How many disconnections were logged at WARN (for tests). */
        long warnings() {
            return warnings.get();
        }
    }
}
