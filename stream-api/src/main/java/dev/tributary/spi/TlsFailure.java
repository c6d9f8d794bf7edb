package dev.tributary.spi;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Why a TLS connection to a server failed, read from the JDK's exception chain, and one sentence that
 * names the problem and what to do, so that every backend reports a bad server certificate the same
 * way (as {@link dev.tributary.ErrorKind#CONFIGURATION}, naming its own options).
 *
 * <p>The JDK reports every certificate problem as an {@link javax.net.ssl.SSLHandshakeException}; the
 * cause chain tells them apart: an expired certificate carries a {@link CertificateExpiredException},
 * an issuer that no trusted CA vouches for a {@link CertPathBuilderException} (no path to a trust
 * anchor), and the host-name check a plain {@link CertificateException} of the JDK's host-name checker,
 * known only by its message ("No subject alternative names matching …", "No name matching …").
 * Client libraries wrap the chain (Kafka's {@code SslAuthenticationException}, Lettuce's
 * connection exception, jnats' {@code IOException}): it is searched whole.
 */
public enum TlsFailure {
    /** The server certificate's validity period has ended. */
    EXPIRED,
    /** The server certificate's validity period has not begun (often a clock that is off). */
    NOT_YET_VALID,
    /** The server certificate does not chain to a certificate authority the client trusts. */
    UNTRUSTED,
    /** The server certificate is valid but does not name the host the client connected to. */
    WRONG_HOST,
    /** Another TLS failure: a protocol mismatch, a server that does not speak TLS, a refused client certificate. */
    HANDSHAKE;

    /** How deep cause chains are searched (a chain may loop). */
    private static final int MAX_DEPTH = 32;

    /** What failed in {@code t}'s cause chain; empty when the chain holds no TLS or certificate exception. */
    public static Optional<TlsFailure> of(Throwable t) {
        if (find(t, SSLException.class) == null && find(t, CertificateException.class) == null) {
            return Optional.empty();
        }
        if (find(t, CertificateExpiredException.class) != null) {
            return Optional.of(EXPIRED);
        }
        if (find(t, CertificateNotYetValidException.class) != null) {
            return Optional.of(NOT_YET_VALID);
        }
        if (find(t, CertPathBuilderException.class) != null) {
            return Optional.of(UNTRUSTED);
        }
        if (hostCheck(t) != null) {
            return Optional.of(WRONG_HOST);
        }
        return Optional.of(HANDSHAKE);
    }

    /**
     * One sentence for the failure {@code t}, with the JDK's words in parentheses; {@code null} when
     * {@code t} is no TLS failure ({@link #of}). A {@link #HANDSHAKE} failure gets no advice here: the
     * backend knows its likely causes (for example a TLS scheme against a plain-text port).
     *
     * @param host            the host of the URI the client connected to (named when the certificate is
     *                        not valid for it), or null
     * @param trustOption     the backend's options that name the CA to trust, e.g.
     *                        {@code "tlsCaFile (a PEM file)"}
     * @param hostCheckOptOut the backend's documented opt-out of the host-name check, e.g.
     *                        {@code "tlsVerifyHostname=false"}
     */
    public static String explain(Throwable t, String host, String trustOption, String hostCheckOptOut) {
        TlsFailure f = of(t).orElse(null);
        if (f == null) {
            return null;
        }
        switch (f) {
            case EXPIRED:
                return "the server certificate has expired (" + detail(find(t, CertificateExpiredException.class))
                        + "); renew the server's certificate";
            case NOT_YET_VALID:
                return "the server certificate is not valid yet ("
                        + detail(find(t, CertificateNotYetValidException.class))
                        + "); check the clocks of client and server";
            case UNTRUSTED:
                return "the server certificate is not trusted: its issuer is not a trusted CA (" + detail(handshake(t))
                        + "); trust the CA that issued the server certificate with " + trustOption;
            case WRONG_HOST:
                return "the server certificate is not valid for "
                        + (host == null ? "the host of the URI" : "host " + host)
                        + " (" + detail(hostCheck(t)) + "); check the certificate's subject alternative names, or set "
                        + hostCheckOptOut + " to trust the CA without checking the host name";
            default:
                return "the TLS handshake failed (" + detail(handshake(t)) + ")";
        }
    }

    /** The host-name checker's exception in the chain, or null. */
    private static CertificateException hostCheck(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < MAX_DEPTH; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof CertificateException ce
                    && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
                return ce;
            }
        }
        return null;
    }

    /** The innermost SSLException (its message is the JDK's), else {@code t} itself. */
    private static Throwable handshake(Throwable t) {
        Throwable last = null;
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < MAX_DEPTH; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException) {
                last = c;
            }
        }
        return last == null ? t : last;
    }

    /** The first line of the message, or the class name without one. */
    private static String detail(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    /** The first exception of {@code type} in the chain of {@code t} (itself included), or null. */
    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < MAX_DEPTH; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
