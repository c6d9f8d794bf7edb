package dev.tributary.spi;

import dev.tributary.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one lossless form in which every backend carries what another application wrote and Tributary's
 * header grammar cannot hold, in its place among the headers, byte for byte:
 *
 * <ul>
 *   <li>a valid key ({@link Headers#isValidKey}) with a UTF-8 value reads as itself;</li>
 *   <li>a valid key with a value that is not UTF-8 reads as the key with value {@value #MARKER} +
 *       base64url(value bytes);</li>
 *   <li>a name the grammar cannot hold ({@code :}, space, non-ASCII, over 256 characters), or a field the
 *       backend's layout cannot carry where it is (a repeated key or payload field), reads as key
 *       {@value #MARKER} with value base64url(name bytes) + {@code .} + base64url(value bytes).</li>
 * </ul>
 *
 * <p>base64url is RFC 4648 §5 without padding, so a marked value never holds {@code .} except as the
 * separator. Each header read in a marked form is counted ({@link Builder#marked()}), and the backend
 * reports the count on the event ({@link dev.tributary.StreamEvent#markedHeaders()}).
 *
 * <p>A value of Tributary's own that starts with the marker is written as the marker plus base64url of
 * its UTF-8 ({@link #encodeValue}) and read back decoded ({@link #decodeValue}), so it round-trips.
 * Known limit: a UTF-8 value another application wrote that starts with the marker followed by
 * base64url of UTF-8 text reads decoded.
 */
public final class MarkedHeaders {
    /** The mark of a value or header carried in base64url. */
    public static final String MARKER = "~b64~";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private MarkedHeaders() {}

    /** A header value as bytes for the wire: its UTF-8, or marked base64url of it when it starts with the marker. */
    public static byte[] encodeValue(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return value.startsWith(MARKER)
                ? (MARKER + B64.encodeToString(utf8)).getBytes(StandardCharsets.US_ASCII)
                : utf8;
    }

    /**
     * A value's text: its UTF-8, with a marked value decoded when it is base64url of UTF-8 (what
     * {@link #encodeValue} writes); null when the bytes are not UTF-8 at all.
     */
    public static String decodeValue(byte[] raw) {
        String text = utf8(raw);
        if (text != null && text.startsWith(MARKER)) {
            try {
                String inner = utf8(Base64.getUrlDecoder().decode(text.substring(MARKER.length())));
                return inner != null ? inner : text;
            } catch (IllegalArgumentException notBase64) {
                return text;
            }
        }
        return text;
    }

    /** The bytes as UTF-8, or null when they are not well-formed UTF-8 (never replacement characters). */
    public static String utf8(byte[] raw) {
        if (isAscii(raw)) { // the common case, without a decoder
            return new String(raw, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isAscii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the headers of one event read from the broker, counting what it carries marked. */
    public static final class Builder {
        private final Headers.Builder headers = Headers.builder();
        private int marked;

        private Builder() {}

        /**
         * Adds a header the broker holds under {@code key}: as it is when the key is valid and the value
         * UTF-8; with the value marked when only the value is not UTF-8; as a marked field (the key's
         * UTF-8 as its name) when the key is outside the grammar.
         */
        public Builder add(String key, byte[] value) {
            if (!Headers.isValidKey(key)) {
                return addMarked(key.getBytes(StandardCharsets.UTF_8), value);
            }
            String text = decodeValue(value);
            if (text != null) {
                headers.add(key, text);
            } else {
                headers.add(key, MARKER + B64.encodeToString(value)); // not UTF-8: carried marked, byte for byte
                marked++;
            }
            return this;
        }

        /**
         * Adds a field that cannot be carried as a header of its own: key {@value MarkedHeaders#MARKER},
         * value base64url(name) + {@code .} + base64url(value).
         */
        public Builder addMarked(byte[] name, byte[] value) {
            headers.add(MARKER, B64.encodeToString(name) + "." + B64.encodeToString(value));
            marked++;
            return this;
        }

        /** How many of the headers added so far are in a marked form. */
        public int marked() {
            return marked;
        }

        /** {@return the headers added so far, in order} */
        public Headers build() {
            return headers.build();
        }
    }
}
