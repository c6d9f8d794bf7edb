package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * TLS failures are the client's trust settings (CONFIGURATION, as on every backend); SASL and ACL
 * failures are AUTHENTICATION. KafkaSecurityIT checks the same against real handshakes.
 */
class KafkaSecurityErrorsTest {

    @Test
    void aFailedTlsHandshakeIsConfigurationNamingTheSchemeAndTheSslOptions() {
        SSLHandshakeException jdk = new SSLHandshakeException("Received fatal alert: handshake_failure");
        StreamException e = KafkaErrors.map(
                "connecting to Kafka at h:9093", new SslAuthenticationException("SSL handshake failed", jdk));
        assertEquals(ErrorKind.CONFIGURATION, e.kind());
        assertTrue(
                e.getMessage().contains("the TLS handshake failed (Received fatal alert: handshake_failure)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("kafka.ssl.*") && e.getMessage().contains("kafka+ssl://"), e.getMessage());
    }

    @Test
    void saslAndAclFailuresStayAuthentication() {
        assertEquals(
                ErrorKind.AUTHENTICATION,
                KafkaErrors.map(
                                "x",
                                new SaslAuthenticationException(
                                        "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256"))
                        .kind());
        assertEquals(
                ErrorKind.AUTHENTICATION,
                KafkaErrors.map("x", new TopicAuthorizationException("denied")).kind());
    }
}
