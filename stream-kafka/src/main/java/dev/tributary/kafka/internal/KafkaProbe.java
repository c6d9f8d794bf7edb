package dev.tributary.kafka.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One question to a plain-text bootstrap address before any Kafka client is made: is this Kafka?
 *
 * <p>kafka-clients reads the first four bytes of any answer as the size of a response and allocates
 * it: a web server's {@code HTTP/1.1 400} becomes a 1.2 GB buffer, allocated again on every
 * reconnect, and a client that is closed meanwhile waits for its network thread (37 s measured
 * against an HTTP port with a 2 s connect timeout). The probe sends Kafka's {@code ApiVersions}
 * request (version 0; a broker answers every version of it, at least with the versions it supports)
 * and checks that the answer has a plausible size and echoes the request's correlation id.
 *
 * <p>Only a server that answers, and answers something else (or hangs up), is judged "not Kafka". One
 * that does not accept the connection is left to the Kafka clients, which report it; one that accepts
 * it and stays silent for the whole bound is reported as {@code SILENT}, since a broker answers
 * ApiVersions at once — a port of another protocol that waits for its client (Redis waits for a line),
 * or a broker that does not respond (frozen, overloaded) — and the connector says so within the
 * connect timeout instead of letting the Kafka clients wait as long again.
 */
final class KafkaProbe {
    private static final short API_VERSIONS = 18;
    private static final int CORRELATION_ID = 0x7472_6962; // "trib"
    private static final int MAX_PLAUSIBLE_SIZE = 1 << 20;
    private static final String CHECK = "check the host and port of the kafka:// URI";

    private KafkaProbe() {}

    /**
     * Asks {@code host:port} within {@code bound}.
     *
     * @return {@code FINE} when it answered like Kafka; {@code WRONG} with the reason when it answered
     *         something else or hung up; {@code SILENT} when it accepted the connection and said nothing;
     *         {@code UNREACHABLE} when nothing accepted it
     */
    static ProbeAnswer ask(String host, int port, Duration bound) {
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis()));
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(host, port), ms);
            } catch (IOException e) {
                return ProbeAnswer.UNREACHABLE; // refused, unreachable or no such host: the Kafka clients say so
            }
            s.setSoTimeout(ms);
            try {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(10); // size of what follows: header v1, empty body
                out.writeShort(API_VERSIONS);
                out.writeShort(0); // version
                out.writeInt(CORRELATION_ID);
                out.writeShort(-1); // client id: null
                out.flush();
            } catch (IOException e) {
                // a server that speaks first and hangs up may reset the connection: read what it said
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            int size = in.readInt();
            if (TlsProbe.isTlsRecord((byte) (size >>> 24), (byte) (size >>> 16))) {
                return ProbeAnswer.wrong("the server at " + host + ":" + port + " speaks TLS: it answered Kafka's "
                        + "plain-text ApiVersions request with a TLS record; use kafka+ssl:// for a TLS listener");
            }
            if (size < 4 || size > MAX_PLAUSIBLE_SIZE) {
                return ProbeAnswer.wrong("the server at " + host + ":" + port + " is not a Kafka broker: it answered "
                        + describe(size) + " to Kafka's ApiVersions request; " + CHECK);
            }
            int correlation = in.readInt();
            if (correlation != CORRELATION_ID) {
                return ProbeAnswer.wrong("the server at " + host + ":" + port + " is not a Kafka broker: its answer to "
                        + "Kafka's ApiVersions request does not echo the request; " + CHECK);
            }
            return ProbeAnswer.FINE;
        } catch (java.io.EOFException e) {
            return ProbeAnswer.wrong("the server at " + host + ":" + port + " is not a Kafka broker: it closed the "
                    + "connection without answering Kafka's ApiVersions request (is it a TLS port? use kafka+ssl://); "
                    + CHECK);
        } catch (SocketTimeoutException e) {
            return ProbeAnswer.SILENT; // a broker answers ApiVersions at once, even before SASL
        } catch (IOException e) {
            return ProbeAnswer.UNREACHABLE; // e.g. reset: perhaps a broker going down; the Kafka clients judge
        }
    }

    /** The first four bytes of an answer as text when they are printable (e.g. "HTTP"), else as a size. */
    private static String describe(int size) {
        byte[] b = {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
        for (byte x : b) {
            if (x < 0x20 || x > 0x7e) {
                return "a response of " + Integer.toUnsignedString(size) + " bytes";
            }
        }
        return "\"" + new String(b, StandardCharsets.US_ASCII) + "…\"";
    }
}
