package dev.tributary.kafka.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * One question to a TLS bootstrap address before any Kafka client is made: does this port speak TLS?
 *
 * <p>kafka-clients cannot tell a plain-text port from a network failure. A plain-text Kafka listener
 * reads the client's TLS ClientHello as the size of a request (some 369 MB), refuses it and drops the
 * connection; the client takes that for a disconnect, reconnects, and ends after the request timeout
 * with "Timed out waiting for a node assignment" ({@code RETRYABLE}, 10.7 s measured with a 10 s request
 * timeout), never naming the cause. The probe sends the JDK's own ClientHello over a plain socket and
 * reads the first bytes of the answer: a TLS record (a ServerHello, or an alert) means the port speaks
 * TLS; bytes that are no TLS record mean it does not. A port that closed the connection is then asked
 * Kafka's plain-text ApiVersions ({@link KafkaProbe}): an answer like Kafka's makes it "a plain-text Kafka
 * listener", another answer (or a close again) a port that does not speak TLS; a port gone or silent the
 * second time is no verdict (a server going down looks like that), and the Kafka clients judge.
 *
 * <p>The probe checks no certificate (the Kafka clients do, with the user's trust settings) and sends
 * nothing but the ClientHello: it hangs up once the server has answered, which a TLS listener takes for
 * a client that went away, not for a failed authentication.
 */
final class TlsProbe {
    /** TLS record content types: change_cipher_spec, alert, handshake, application_data, heartbeat. */
    private static final int FIRST_CONTENT_TYPE = 20;

    private static final int LAST_CONTENT_TYPE = 24;

    private TlsProbe() {}

    /**
     * Asks {@code host:port} within {@code bound} (shared by the TLS question and, after a hang-up, the
     * plain-text one).
     *
     * @return {@code FINE} when it answered in TLS (or the JVM cannot make a ClientHello: the Kafka clients
     *         then judge); {@code WRONG} with the reason when it does not speak TLS; {@code SILENT} when it
     *         accepted the connection and said nothing; {@code UNREACHABLE} when nothing accepted it
     */
    static ProbeAnswer ask(String host, int port, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        byte[] hello;
        try {
            hello = clientHello(host, port);
        } catch (GeneralSecurityException | SSLException | RuntimeException e) {
            return ProbeAnswer.FINE; // no ClientHello of our own: leave the judgement to the Kafka clients
        }
        int ms = millisLeft(deadline);
        byte[] first = new byte[4];
        int got = 0;
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(host, port), ms);
            } catch (IOException e) {
                return ProbeAnswer.UNREACHABLE; // refused, unreachable or no such host: the Kafka clients say so
            }
            s.setSoTimeout(millisLeft(deadline));
            try {
                OutputStream out = s.getOutputStream();
                out.write(hello);
                out.flush();
            } catch (IOException e) {
                // a server that speaks first and hangs up may reset the connection: read what it said
            }
            InputStream in = s.getInputStream();
            while (got < first.length) {
                int n = in.read(first, got, first.length - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (SocketTimeoutException e) {
            if (got == 0) {
                return ProbeAnswer.SILENT;
            }
        } catch (SocketException e) {
            // reset: a plain-text listener that dropped the connection with our ClientHello unread
        } catch (IOException e) {
            return ProbeAnswer.UNREACHABLE;
        }
        if (got >= 2 && isTlsRecord(first[0], first[1]) || got == 1 && isTlsContentType(first[0])) {
            return ProbeAnswer.FINE;
        }
        String at = "the server at " + host + ":" + port;
        if (got > 0) {
            return ProbeAnswer.wrong(at + " does not speak TLS: it answered " + describe(first, got)
                    + " to a TLS ClientHello; check the host and port of the kafka+ssl:// URI (a TLS listener's)");
        }
        // it hung up: a plain-text Kafka listener does that with a request size it refuses
        ProbeAnswer plain = KafkaProbe.ask(host, port, Duration.ofMillis(millisLeft(deadline)));
        switch (plain.verdict()) {
            case FINE:
                return ProbeAnswer.wrong(at + " is a plain-text Kafka listener: the port does not speak TLS (it closed "
                        + "the connection at the TLS ClientHello and answers Kafka's requests in plain text); use kafka:// "
                        + "for it, or the port of the broker's TLS listener with kafka+ssl://");
            case WRONG:
                return ProbeAnswer.wrong(at + " does not speak TLS: it closed the connection at the TLS ClientHello; "
                        + "check the host and port of the kafka+ssl:// URI (a TLS listener's)");
            default:
                // gone or silent the second time (a server going down?): not a verdict; the Kafka clients judge
                return ProbeAnswer.UNREACHABLE;
        }
    }

    /** Whether two bytes start a TLS record: a content type and major version 3 (SSL 3.0 to TLS 1.3). */
    static boolean isTlsRecord(byte type, byte major) {
        return isTlsContentType(type) && major == 3;
    }

    private static boolean isTlsContentType(byte type) {
        return type >= FIRST_CONTENT_TYPE && type <= LAST_CONTENT_TYPE;
    }

    /** The first record the JDK's default TLS client sends to {@code host:port}: its ClientHello. */
    private static byte[] clientHello(String host, int port) throws GeneralSecurityException, SSLException {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        engine.closeOutbound();
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        if (hello.length == 0) {
            throw new SSLException("the JDK made no ClientHello");
        }
        return hello;
    }

    private static int millisLeft(long deadline) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000));
    }

    /** What a server answered: printable bytes as text (e.g. "HTTP…"), else in hex. */
    private static String describe(byte[] b, int n) {
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            printable &= b[i] >= 0x20 && b[i] <= 0x7e;
        }
        if (printable) {
            return "\"" + new String(b, 0, n, StandardCharsets.US_ASCII) + "…\"";
        }
        StringBuilder hex = new StringBuilder("bytes");
        for (int i = 0; i < n; i++) {
            hex.append(String.format(" %02x", b[i] & 0xff));
        }
        return hex.append(" …").toString();
    }
}
