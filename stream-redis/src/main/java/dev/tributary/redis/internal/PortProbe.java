package dev.tributary.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * One question to a server port on a fresh socket, to name what answers there when Lettuce could only
 * say "unable to connect", or before a TLS handshake that a plain-text port would leave hanging until the
 * connect timeout (a Redis server reads a TLS ClientHello as an unfinished command and waits).
 *
 * <p>{@link #ping} sends {@code PING} in plain text and classifies the first bytes of the answer: RESP
 * ({@code +PONG}, {@code -NOAUTH …}) is a plain-text Redis server; a TLS record is a TLS port; anything
 * else is another kind of server. {@link #speaksTls} sends a TLS ClientHello and reports whether a TLS
 * record came back. Neither authenticates, and neither sends anything but these few bytes.
 */
final class PortProbe {
    /** What a port answered. */
    enum Speaks {
        /** A RESP reply: a Redis server (or one that speaks its protocol) in plain text. */
        RESP,
        /** A TLS record (handshake or alert). */
        TLS,
        /** Something else: another kind of server. */
        OTHER,
        /** No answer within the bound, a refused or reset connection, or a close without a byte. */
        NOTHING
    }

    /** What answered, and the start of the answer as text for messages (empty for NOTHING). */
    record Answer(Speaks speaks, String shown) {}

    private static final int SHOWN = 24;

    private PortProbe() {}

    /** Sends {@code PING} in plain text to {@code host:port} and classifies the answer, within {@code bound}. */
    static Answer ping(String host, int port, Duration bound) {
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis()));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), ms);
            s.setSoTimeout(ms);
            try {
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // a server that speaks first and hangs up may reset the connection: read what it said
            }
            byte[] head = readSome(s.getInputStream());
            return classify(head);
        } catch (IOException e) {
            return new Answer(Speaks.NOTHING, "");
        }
    }

    /** Sends a TLS ClientHello to {@code host:port}; true when a TLS record comes back within {@code bound}. */
    static boolean speaksTls(String host, int port, Duration bound) {
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis()));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), ms);
            s.setSoTimeout(ms);
            SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, port);
            engine.setUseClientMode(true);
            ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), hello);
            hello.flip();
            byte[] out = new byte[hello.remaining()];
            hello.get(out);
            s.getOutputStream().write(out);
            s.getOutputStream().flush();
            return classify(readSome(s.getInputStream())).speaks() == Speaks.TLS;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Up to {@value #SHOWN} bytes, as many as the first read gives; empty on EOF, a timeout or a reset. */
    private static byte[] readSome(InputStream in) {
        byte[] buf = new byte[SHOWN];
        try {
            int n = in.read(buf);
            if (n <= 0) {
                return new byte[0];
            }
            byte[] out = new byte[n];
            System.arraycopy(buf, 0, out, 0, n);
            return out;
        } catch (SocketTimeoutException e) {
            return new byte[0]; // silent
        } catch (IOException e) {
            return new byte[0]; // reset
        }
    }

    /** The kind of server whose answer starts with {@code head}. */
    static Answer classify(byte[] head) {
        if (head.length == 0) {
            return new Answer(Speaks.NOTHING, "");
        }
        int first = head[0] & 0xff;
        if ((first == 0x15 || first == 0x16) && head.length > 1 && head[1] == 0x03) {
            return new Answer(Speaks.TLS, "a TLS record");
        }
        if (resp(head)) {
            return new Answer(Speaks.RESP, shown(head));
        }
        return new Answer(Speaks.OTHER, shown(head));
    }

    /** A RESP reply's first line: a type byte, then printable text up to CRLF (or the end of what arrived). */
    private static boolean resp(byte[] head) {
        if ("+-:$*".indexOf(head[0] & 0xff) < 0) {
            return false;
        }
        for (int i = 1; i < head.length; i++) {
            int c = head[i] & 0xff;
            if (c == '\r') {
                return i + 1 == head.length || head[i + 1] == '\n';
            }
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true; // a long first line, cut by the read
    }

    private static String printable(byte[] head) {
        for (byte b : head) {
            int c = b & 0xff;
            if ((c < 0x20 || c > 0x7e) && c != '\r' && c != '\n' && c != '\t') {
                return null;
            }
        }
        return new String(head, StandardCharsets.US_ASCII);
    }

    /** The answer for a message: its first line quoted when printable, else its size. */
    private static String shown(byte[] head) {
        String text = printable(head);
        if (text == null) {
            return head.length + " bytes that are not text";
        }
        int eol = text.indexOf('\r');
        String line = eol >= 0 ? text.substring(0, eol) : text;
        return "\"" + line + (eol < 0 && head.length == SHOWN ? "…" : "") + "\"";
    }
}
