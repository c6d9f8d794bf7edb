package dev.tributary.kafka;

import static dev.tributary.tck.fixture.SecurityChecks.captured;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.ErrorKind;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.tck.fixture.Brokers;
import dev.tributary.tck.fixture.KafkaKraftBroker;
import dev.tributary.tck.fixture.SecurityChecks;
import dev.tributary.tck.fixture.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka over TLS and over SASL/SCRAM, against a KRaft broker of its own (one per run of this class,
 * beside the shared broker of the other tests) with one TLS listener per certificate of the kit's
 * {@link TestPki} matrix and a SASL_SSL listener with SCRAM users.
 *
 * <p>The right host's certificate of the trusted CA works; a certificate for another host, an expired
 * one and one of another CA each fail the connect at once with one CONFIGURATION error that names the
 * problem and the option to look at. The host name is checked by default (kafka-clients'
 * {@code ssl.endpoint.identification.algorithm=https}); {@code kafka.ssl.endpoint.identification.algorithm=}
 * (empty) is the documented opt-out that keeps the CA and validity checks. SCRAM with the right password
 * works, a wrong one fails AUTHENTICATION, and the password shows in no message and no log line.
 */
class KafkaSecurityIT {
    private static final String USER = "alice";
    private static final String PASSWORD =
            "Scram-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)) + "-secret";
    private static final String SCRAM_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    private static final String OPT_OUT = "kafka.ssl.endpoint.identification.algorithm";

    private static KafkaKraftBroker broker;
    private static TestPki pki;
    private static TestPki.Matrix certs;
    private static int rightPort;
    private static int wrongHostPort;
    private static int expiredPort;
    private static int foreignPort;
    private static int scramPort;

    @BeforeAll
    static void start() throws Exception {
        String cp = System.getProperty(KafkaFixture.CLASSPATH_PROPERTY);
        if (cp == null || cp.isBlank() || cp.startsWith("${")) {
            throw Brokers.unavailable(
                    "kafka",
                    "no broker classpath in -D" + KafkaFixture.CLASSPATH_PROPERTY
                            + " (run the tests through Maven: mvn -f stream-kafka/pom.xml verify)");
        }
        pki = TestPki.create();
        certs = pki.matrix();
        broker = new KafkaKraftBroker(cp);
        rightPort = broker.withListener("TLS_RIGHT", "SSL", keyStore(certs.rightHost()));
        wrongHostPort = broker.withListener("TLS_WRONG_HOST", "SSL", keyStore(certs.wrongHost()));
        expiredPort = broker.withListener("TLS_EXPIRED", "SSL", keyStore(certs.expired()));
        foreignPort = broker.withListener("TLS_FOREIGN", "SSL", keyStore(certs.foreign()));
        Map<String, String> scram = keyStore(certs.rightHost());
        scram.put("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512");
        scram.put("scram-sha-256.sasl.jaas.config", SCRAM_JAAS);
        scram.put("scram-sha-512.sasl.jaas.config", SCRAM_JAAS);
        scramPort = broker.withListener("SCRAM_TLS", "SASL_SSL", scram);
        try {
            broker.format();
            broker.start();
        } catch (RuntimeException e) {
            throw Brokers.unavailable("kafka", "the KRaft broker with TLS listeners did not start: " + e.getMessage());
        }
        // KRaft keeps SCRAM credentials in its metadata: set them through the plaintext listener
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + broker.port()))) {
            // one mechanism per request: the broker refuses to alter a user twice in one request
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(
                                new UserScramCredentialUpsertion(USER, new ScramCredentialInfo(m, 4096), PASSWORD)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A listener's key store: the certificate and its key in one PEM file (Kafka's file-based PEM store). */
    private static Map<String, String> keyStore(TestPki.Pair cert) {
        Path store = pki.dir().resolve(cert.cert().getFileName() + ".keystore.pem");
        try {
            Files.writeString(store, cert.keyPem() + cert.certPem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ssl.keystore.type", "PEM");
        m.put("ssl.keystore.location", store.toString());
        return m;
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (pki != null) {
            pki.close();
        }
    }

    /** {@code kafka+ssl://[credentials@]host:port} trusting the test CA (PEM content, no file), with {@code options}. */
    private static ClientConfig.Builder tls(String userInfo, String host, int port) {
        return ClientConfig.builder("kafka+ssl://" + userInfo + host + ":" + port)
                .connectTimeout(Duration.ofSeconds(30))
                .requestTimeout(Duration.ofSeconds(10))
                .closeTimeout(Duration.ofSeconds(3))
                .option("kafka.ssl.truststore.type", "PEM")
                .option("kafka.ssl.truststore.certificates", certs.ca().certPem());
    }

    private static ClientConfig.Builder tls(String host, int port) {
        return tls("", host, port);
    }
    /** Opens {@code config}, creates a stream, appends a record and reads it back. */
    private static void assertRoundTrip(ClientConfig config) {
        SecurityChecks.assertRoundTrip(config, PASSWORD);
    }

    /**
     * Opening {@code config} fails with one error of {@code kind}, well before the 30 s connect timeout,
     * whose message contains every one of {@code phrases}; no message of the chain and no log line
     * carries the password.
     */
    private static StreamException assertRejected(ClientConfig config, ErrorKind kind, String... phrases) {
        return assertRejected(new StringBuilder(), config, kind, phrases);
    }

    /** {@link #assertRejected(ClientConfig, ErrorKind, String...)}, appending what was logged meanwhile to {@code log}. */
    private static StreamException assertRejected(
            StringBuilder log, ClientConfig config, ErrorKind kind, String... phrases) {
        long start = System.nanoTime();
        StreamException e = captured(
                log,
                () -> assertThrows(StreamException.class, () -> {
                    try (StreamClient c = StreamClients.open(config)) {
                        c.createStream(StreamName.of("never"));
                    }
                }));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("rejected in " + tookMs + " ms: " + e);
        assertEquals(kind, e.kind(), e.toString());
        assertTrue(e.isFatal() && !e.isRetryable(), e.toString());
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase), "expected '" + phrase + "' in: " + e.getMessage());
        }
        assertTrue(tookMs < 10_000, "the failure took " + tookMs + " ms");
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), "password in message of " + t.getClass());
        }
        assertFalse(log.toString().contains(PASSWORD), "the password appeared in the log output");
        return e;
    }

    @Test
    void theRightHostsCertificateOfTheTrustedCaRoundTripsByAddressAndByName() {
        assertRoundTrip(tls("127.0.0.1", rightPort).build());
        assertRoundTrip(tls("localhost", rightPort).build());
        assertRoundTrip(tls("127.0.0.1", rightPort).option(OPT_OUT, "").build());
        // the same trust material written in the URI, as the README shows it (PEM content, URL-encoded)
        assertRoundTrip(ClientConfig.builder("kafka+ssl://127.0.0.1:" + rightPort + "?kafka.ssl.truststore.type=PEM"
                        + "&kafka.ssl.truststore.certificates="
                        + URLEncoder.encode(certs.ca().certPem(), StandardCharsets.UTF_8))
                .connectTimeout(Duration.ofSeconds(30))
                .requestTimeout(Duration.ofSeconds(10))
                .build());
    }

    @Test
    void withoutTheCaTrustedTheCertificateIsAConfigurationErrorNamingTheTrustOption() {
        assertRejected(
                ClientConfig.builder("kafka+ssl://127.0.0.1:" + rightPort)
                        .connectTimeout(Duration.ofSeconds(30))
                        .build(),
                ErrorKind.CONFIGURATION,
                "not trusted",
                "kafka.ssl.truststore.certificates");
    }

    @Test
    void aCertificateForAnotherHostIsRejectedByDefaultAndAcceptedWithTheDocumentedOptOut() {
        assertRejected(
                tls("127.0.0.1", wrongHostPort).build(),
                ErrorKind.CONFIGURATION,
                "not valid for the host of the URI",
                "127.0.0.1",
                OPT_OUT + "=");
        assertRejected(
                tls("localhost", wrongHostPort).build(),
                ErrorKind.CONFIGURATION,
                "not valid for the host of the URI",
                "localhost");
        // the opt-out: the CA is still checked, the host name is not
        assertRoundTrip(tls("127.0.0.1", wrongHostPort).option(OPT_OUT, "").build());
        assertRoundTrip(ClientConfig.builder("kafka+ssl://127.0.0.1:" + wrongHostPort + "?" + OPT_OUT + "=")
                .option("kafka.ssl.truststore.type", "PEM")
                .option("kafka.ssl.truststore.certificates", certs.ca().certPem())
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    @Test
    void anExpiredCertificateIsRejectedAsExpiredEvenWithoutTheHostCheck() {
        assertRejected(tls("127.0.0.1", expiredPort).build(), ErrorKind.CONFIGURATION, "expired");
        assertRejected(tls("127.0.0.1", expiredPort).option(OPT_OUT, "").build(), ErrorKind.CONFIGURATION, "expired");
    }

    @Test
    void aCertificateOfAnotherCaIsRejectedAsUntrustedEvenWithoutTheHostCheck() {
        assertRejected(
                tls("127.0.0.1", foreignPort).build(),
                ErrorKind.CONFIGURATION,
                "not trusted",
                "kafka.ssl.truststore.certificates");
        assertRejected(
                tls("127.0.0.1", foreignPort).option(OPT_OUT, "").build(), ErrorKind.CONFIGURATION, "not trusted");
    }

    @Test
    void scramOverTlsWithTheRightPasswordRoundTripsForBothMechanisms() {
        String userInfo = USER + ":" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "@";
        StringBuilder log = new StringBuilder();
        captured(log, () -> {
            assertRoundTrip(tls(userInfo, "127.0.0.1", scramPort)
                    .option("saslMechanism", "SCRAM-SHA-256")
                    .build());
            assertRoundTrip(tls(userInfo, "127.0.0.1", scramPort)
                    .option("saslMechanism", "SCRAM-SHA-512")
                    .build());
            return null;
        });
        assertFalse(log.toString().contains(PASSWORD), "the password appeared in the log output");
        ClientConfig config = tls(userInfo, "127.0.0.1", scramPort)
                .option("saslMechanism", "SCRAM-SHA-256")
                .build();
        assertFalse(config.toString().contains(PASSWORD), config.toString());
    }

    @Test
    void aWrongScramPasswordFailsAuthenticationAndShowsNeitherPassword() {
        String wrong = "Wrong-" + PASSWORD;
        StringBuilder log = new StringBuilder();
        StreamException e = assertRejected(
                log,
                tls(USER + ":" + wrong + "@", "127.0.0.1", scramPort)
                        .option("saslMechanism", "SCRAM-SHA-256")
                        .build(),
                ErrorKind.AUTHENTICATION,
                "SCRAM-SHA-256");
        // the producer is made only once the cluster answered: the admin client alone tried, and logged
        assertEquals(
                1,
                log.toString()
                        .lines()
                        .filter(l -> l.contains(" ERROR org.apache.kafka"))
                        .count(),
                log::toString);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(wrong), "wrong password in message of " + t.getClass());
        }
        // an unknown user is the same failure: the broker does not tell users and passwords apart
        assertRejected(
                tls("mallory:" + PASSWORD + "@", "127.0.0.1", scramPort)
                        .option("saslMechanism", "SCRAM-SHA-256")
                        .build(),
                ErrorKind.AUTHENTICATION);
    }

    @Test
    void aMechanismTheListenerDoesNotOfferFailsAuthenticationNamingIt() {
        assertRejected(
                tls(USER + ":" + PASSWORD + "@", "127.0.0.1", scramPort).build(), ErrorKind.AUTHENTICATION, "PLAIN");
    }

    /**
     * kafka+ssl:// at the broker's plain-text listener: kafka-clients took the dropped connection for a
     * network failure and ended RETRYABLE after the request timeout ("Timed out waiting for a node
     * assignment", 10.7 s); the TLS probe names the cause at once, and no Kafka client is made.
     */
    @Test
    void aTlsUriAtThePlainTextListenerFailsConfigurationAtOnceSayingThePortDoesNotSpeakTls() {
        StringBuilder log = new StringBuilder();
        long start = System.nanoTime();
        assertRejected(
                log,
                tls("127.0.0.1", broker.port()).build(),
                ErrorKind.CONFIGURATION,
                "the server at 127.0.0.1:" + broker.port()
                        + " is a plain-text Kafka listener: the port does not speak TLS",
                "use kafka:// for it");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 5_000, "took " + tookMs + " ms");
        assertFalse(log.toString().contains("org.apache.kafka"), "no Kafka client was made, so none logged:\n" + log);
    }

    /** kafka:// at a TLS listener: CONFIGURATION at once, pointing to kafka+ssl://. */
    @Test
    void aPlainUriAtATlsListenerFailsConfigurationAtOnceNamingKafkaSsl() {
        long start = System.nanoTime();
        assertRejected(
                ClientConfig.builder("kafka://127.0.0.1:" + rightPort)
                        .connectTimeout(Duration.ofSeconds(30))
                        .build(),
                ErrorKind.CONFIGURATION,
                "the server at 127.0.0.1:" + rightPort,
                "TLS",
                "use kafka+ssl://");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 5_000, "took " + tookMs + " ms");
    }
}
