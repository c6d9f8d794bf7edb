package dev.tributary.nats.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@link SSLContext} of a verified {@code tls://} connection. The server certificate must chain to
 * a trusted CA (the certificates of {@code tlsCaFile}, else the JVM's default trust store), be within
 * its validity period and, unless {@code tlsVerifyHostname=false}, name the host of the URI.
 * {@code tlsInsecure=true} does not come here: it checks nothing (jnats' {@code opentls()}).
 */
final class NatsTls {
    private NatsTls() {}

    /** The context for {@code s}, which is a {@code tls://} setting without {@code tlsInsecure}. */
    static SSLContext context(NatsSettings s) throws GeneralSecurityException, IOException {
        // without tlsCaFile: the JVM default context, as jnats' secure() would use it (the default trust
        // store, and a client key store given by the javax.net.ssl.keyStore properties)
        SSLContext trusting = s.tlsCaFile().isPresent() ? trusting(s.tlsCaFile().get()) : SSLContext.getDefault();
        return s.tlsVerifyHostname() ? HostnameCheckingSslContext.wrap(trusting) : trusting;
    }

    /** A context that trusts exactly the certificates of a PEM file. */
    private static SSLContext trusting(Path pem) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate cert : cf.generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + (i++), cert);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3"); // client side this also offers TLS 1.2
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
