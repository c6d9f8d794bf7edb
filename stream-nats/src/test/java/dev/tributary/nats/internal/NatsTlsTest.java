package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The TLS context of a connection: the host-name check is set on the socket jnats creates (the JVM
 * default trust store path included, which the integration tests cannot reach with a test CA), and
 * certificate failures are reported by their cause.
 */
class NatsTlsTest {

    /**
     * The endpoint identification algorithm of the socket that jnats would create with {@code ctx}: it
     * layers TLS over its connected socket with {@code createSocket(socket, host, port, true)}.
     */
    private static String algorithmOfJnatsSocket(SSLContext ctx) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                SSLSocket tls = (SSLSocket)
                        ctx.getSocketFactory().createSocket(plain, "127.0.0.1", server.getLocalPort(), true)) {
            return tls.getSSLParameters().getEndpointIdentificationAlgorithm();
        }
    }

    private static SSLContext contextOf(String uri) throws Exception {
        return NatsTls.context(NatsSettings.from(ClientConfig.parse(uri)));
    }

    @Test
    void everyTlsSocketChecksTheHostNameByDefault() throws Exception {
        SSLContext ctx = contextOf("tls://127.0.0.1:4222");
        assertEquals("HTTPS", algorithmOfJnatsSocket(ctx));
        assertEquals(
                "HTTPS",
                ctx.createSSLEngine("127.0.0.1", 4222).getSSLParameters().getEndpointIdentificationAlgorithm());
        assertEquals(
                "HTTPS",
                ctx.getSocketFactory().createSocket() instanceof SSLSocket s
                        ? s.getSSLParameters().getEndpointIdentificationAlgorithm()
                        : null);
    }

    @Test
    void tlsVerifyHostnameFalseTrustsTheCaWithoutTheHostCheck() throws Exception {
        assertNull(algorithmOfJnatsSocket(contextOf("tls://127.0.0.1:4222?tlsVerifyHostname=false")));
    }

    @Test
    void certificateFailuresAreNamedByTheirCause() {
        NatsErrors errors = new NatsErrors(Set.of(), "nats.example.com");
        StreamException host = errors.map(
                handshake(new CertificateException("No subject alternative DNS name matching nats.example.com found.")),
                "connecting",
                false);
        assertEquals(ErrorKind.CONFIGURATION, host.kind());
        assertTrue(host.getMessage().contains("not valid for host nats.example.com"), host.getMessage());
        assertTrue(host.getMessage().contains("tlsVerifyHostname=false"), host.getMessage());

        StreamException expired = errors.map(
                handshake(new CertPathValidatorException(
                        "validity check failed",
                        new CertificateExpiredException("NotAfter: Thu Jan 02 00:00:00 UTC 2020"))),
                "connecting",
                false);
        assertEquals(ErrorKind.CONFIGURATION, expired.kind());
        assertTrue(expired.getMessage().contains("has expired (NotAfter: Thu Jan 02"), expired.getMessage());

        StreamException other =
                errors.map(new SSLHandshakeException("Received fatal alert: protocol_version"), "connecting", false);
        assertEquals(ErrorKind.CONFIGURATION, other.kind());
        assertTrue(other.getMessage().contains("TLS handshake failed (Received fatal alert"), other.getMessage());
    }

    private static SSLHandshakeException handshake(Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(cause.getMessage());
        e.initCause(cause);
        return e;
    }
}
