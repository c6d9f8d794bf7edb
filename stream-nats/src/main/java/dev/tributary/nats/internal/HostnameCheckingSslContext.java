package dev.tributary.nats.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose client sockets and engines check that the server certificate is issued
 * for the host being connected to: it sets the endpoint identification algorithm {@code HTTPS} (RFC
 * 2818 / 6125 matching of the subject alternative names) on every socket and engine it creates.
 *
 * <p>Why: jnats creates its TLS socket with {@code sslContext.getSocketFactory().createSocket(socket,
 * host, port, true)} and never sets an identification algorithm, so with a plain context the JDK only
 * checks that the certificate chains to a trusted CA, and any certificate of that CA (for any host) is
 * accepted. Doing it in the socket factory covers every connection jnats opens, reconnects included,
 * and leaves the check itself to the JDK's trust manager.
 *
 * <p>A socket created without a host ({@link SSLSocketFactory#createSocket()}) still has the algorithm
 * set, so its handshake fails rather than skipping the check.
 */
final class HostnameCheckingSslContext extends SSLContext {
    static final String ALGORITHM = "HTTPS";

    private HostnameCheckingSslContext(SSLContext delegate) {
        super(new Spi(delegate), delegate.getProvider(), delegate.getProtocol());
    }

    /** {@code delegate} (already initialised) with the host-name check on every client connection. */
    static SSLContext wrap(SSLContext delegate) {
        return new HostnameCheckingSslContext(delegate);
    }

    private static SSLParameters checking(SSLParameters p) {
        p.setEndpointIdentificationAlgorithm(ALGORITHM);
        return p;
    }

    private static Socket checking(Socket s) {
        if (s instanceof SSLSocket ssl) {
            ssl.setSSLParameters(checking(ssl.getSSLParameters()));
        }
        return s;
    }

    private static SSLEngine checking(SSLEngine e) {
        e.setSSLParameters(checking(e.getSSLParameters()));
        return e;
    }

    /** Delegates to the wrapped context; adds the algorithm to what it creates. */
    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised: wraps an initialised SSLContext");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Factory(delegate.getSocketFactory());
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return checking(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return checking(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return checking(delegate.getDefaultSSLParameters());
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    /** Every client socket gets the algorithm before its handshake starts. */
    private static final class Factory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Factory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return checking(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return checking(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return checking(delegate.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return checking(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return checking(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return checking(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return checking(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
