package dev.tributary.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.Header;
import dev.tributary.StreamEvent;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Prints events one per line, as text or JSON Lines.
 *
 * <p>Text: {@code <id> <timestamp> [delivery=<n>] [marked=<n>] [key=<key>] [<h>=<v> ...] <payload>} with
 * control characters of the payload escaped so that one event is one line; a payload that is not UTF-8
 * prints as {@code base64:<...>}. JSON: {@code {"stream","id","timestamp","key","headers":[{"key","value"}],
 * "payload" | "payloadBase64","deliveryCount"[,"markedHeaders"]}}; headers keep their order and repeated
 * keys. {@code marked} / {@code markedHeaders} appear when the backend carried headers in the marked form
 * ({@link StreamEvent#markedHeaders()}: what another application wrote that the header grammar cannot hold).
 */
public final class EventPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final OutputFormat format;

    /**
     * A printer of events to {@code out}.
     *
     * @param out    where the lines go
     * @param format text or JSON
     */
    public EventPrinter(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    /**
     * Prints one event as one line.
     *
     * @param e the event
     */
    public void print(StreamEvent e) {
        out.println(format == OutputFormat.JSON ? json(e) : text(e));
    }

    /** The text form of one event. */
    public static String text(StreamEvent e) {
        StringBuilder b = new StringBuilder(64 + e.payload().length);
        b.append(e.id()).append(' ').append(e.timestamp());
        if (e.deliveryCount() > 1) {
            b.append(" delivery=").append(e.deliveryCount());
        }
        if (e.markedHeaders() > 0) {
            b.append(" marked=").append(e.markedHeaders());
        }
        if (e.key() != null) {
            b.append(" key=").append(escape(utf8OrBase64(e.key())));
        }
        for (Header h : e.headers()) {
            b.append(' ').append(h.key()).append('=').append(escape(h.value()));
        }
        b.append("  ").append(escape(utf8OrBase64(e.payload())));
        return b.toString();
    }

    /** The JSON form of one event (one line). */
    public static String json(StreamEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("stream", e.stream().value());
        n.put("id", e.id().toString());
        n.put("timestamp", e.timestamp().toString());
        if (e.key() != null) {
            String k = utf8(e.key());
            if (k != null) {
                n.put("key", k);
            } else {
                n.put("keyBase64", Base64.getEncoder().encodeToString(e.key()));
            }
        }
        ArrayNode hs = n.putArray("headers");
        for (Header h : e.headers()) {
            hs.addObject().put("key", h.key()).put("value", h.value());
        }
        String p = utf8(e.payload());
        if (p != null) {
            n.put("payload", p);
        } else {
            n.put("payloadBase64", Base64.getEncoder().encodeToString(e.payload()));
        }
        n.put("deliveryCount", e.deliveryCount());
        if (e.markedHeaders() > 0) {
            n.put("markedHeaders", e.markedHeaders());
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The bytes as UTF-8, or null when they are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String utf8OrBase64(byte[] bytes) {
        String s = utf8(bytes);
        return s != null ? s : "base64:" + Base64.getEncoder().encodeToString(bytes);
    }

    /** Escapes control characters and backslashes so that a value stays on one line. */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = null;
            if (c == '\n') {
                rep = "\\n";
            } else if (c == '\r') {
                rep = "\\r";
            } else if (c == '\t') {
                rep = "\\t";
            } else if (c == '\\') {
                rep = "\\\\";
            } else if (c < 0x20 || c == 0x7f) {
                rep = String.format("\\u%04x", (int) c);
            }
            if (rep != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
