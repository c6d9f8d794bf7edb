package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The chains below are shaped like the JDK 17 trust manager's (a handshake exception over a
 * {@code ValidatorException}, itself a {@link CertificateException}) and wrapped as client libraries do;
 * the backends' TLS integration tests check the same against real handshakes.
 */
class TlsFailureTest {

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    /** What a client library puts around the JDK's exception (Kafka, Lettuce and jnats each do). */
    private static RuntimeException wrapped(Throwable jdk) {
        return new RuntimeException("SSL handshake failed", new IOException("connection failed", jdk));
    }

    private static Throwable expired() {
        CertificateExpiredException notAfter =
                new CertificateExpiredException("NotAfter: Thu Jan 02 00:00:00 UTC 2020");
        CertPathValidatorException v = new CertPathValidatorException(
                "validity check failed", notAfter, null, -1, CertPathValidatorException.BasicReason.EXPIRED);
        return wrapped(handshake(
                "PKIX path validation failed: " + v, new CertificateException("PKIX path validation failed: " + v, v)));
    }

    private static Throwable untrusted() {
        CertPathBuilderException b =
                new CertPathBuilderException("unable to find valid certification path to requested target");
        return wrapped(handshake(
                "PKIX path building failed: " + b, new CertificateException("PKIX path building failed: " + b, b)));
    }

    private static Throwable wrongHost() {
        String m = "No subject alternative names matching IP address 127.0.0.1 found";
        return wrapped(handshake(m, new CertificateException(m)));
    }

    @Test
    void eachCertificateProblemIsToldApartThroughWrappers() {
        assertEquals(Optional.of(TlsFailure.EXPIRED), TlsFailure.of(expired()));
        assertEquals(Optional.of(TlsFailure.UNTRUSTED), TlsFailure.of(untrusted()));
        assertEquals(Optional.of(TlsFailure.WRONG_HOST), TlsFailure.of(wrongHost()));
        assertEquals(
                Optional.of(TlsFailure.WRONG_HOST),
                TlsFailure.of(handshake(
                        "No name matching localhost found",
                        new CertificateException("No name matching localhost found"))));
        assertEquals(
                Optional.of(TlsFailure.NOT_YET_VALID),
                TlsFailure.of(wrapped(handshake(
                        "PKIX path validation " + "failed",
                        new CertificateNotYetValidException("NotBefore: Sat Jan 01 00:00:00 UTC 2100")))));
        assertEquals(
                Optional.of(TlsFailure.HANDSHAKE),
                TlsFailure.of(wrapped(new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message"))));
    }

    @Test
    void somethingElseIsNoTlsFailure() {
        assertEquals(Optional.empty(), TlsFailure.of(new IOException("Connection refused")));
        assertNull(TlsFailure.explain(new IOException("Connection refused"), "h", "tlsCaFile", "x=false"));
        RuntimeException loop = new RuntimeException("a");
        RuntimeException other = new RuntimeException("b", loop);
        loop.initCause(other);
        assertEquals(Optional.empty(), TlsFailure.of(loop), "a cause loop ends the search");
    }

    @Test
    void theMessageNamesTheProblemTheJdksWordsAndTheBackendsOption() {
        String exp = TlsFailure.explain(expired(), "127.0.0.1", "tlsCaFile", "tlsVerifyHostname=false");
        assertEquals(
                "the server certificate has expired (NotAfter: Thu Jan 02 00:00:00 UTC 2020); renew the server's "
                        + "certificate",
                exp);
        String host = TlsFailure.explain(wrongHost(), "127.0.0.1", "tlsCaFile", "tlsVerifyHostname=false");
        assertTrue(
                host.startsWith("the server certificate is not valid for host 127.0.0.1 (No subject alternative "
                        + "names matching IP address 127.0.0.1 found)"),
                host);
        assertTrue(
                host.endsWith("or set tlsVerifyHostname=false to trust the CA without checking the host name"), host);
        assertTrue(TlsFailure.explain(wrongHost(), null, "a", "b").contains("not valid for the host of the URI"));
        String trust = TlsFailure.explain(untrusted(), "h", "tlsCaCert (or tlsTrustStore)", "tlsVerify=ca");
        assertTrue(
                trust.startsWith("the server certificate is not trusted: its issuer is not a trusted CA (PKIX path "
                        + "building failed"),
                trust);
        assertTrue(
                trust.endsWith("trust the CA that issued the server certificate with tlsCaCert (or tlsTrustStore)"),
                trust);
        assertEquals(
                "the TLS handshake failed (Unsupported or unrecognized SSL message)",
                TlsFailure.explain(
                        wrapped(new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message\nmore")),
                        "h",
                        "a",
                        "b"));
    }
}
