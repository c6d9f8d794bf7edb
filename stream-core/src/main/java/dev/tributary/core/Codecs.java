package dev.tributary.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The built-in codecs. JSON lives in {@code stream-codec-jackson} so that this module stays free of Jackson. */
public final class Codecs {
    private Codecs() {}

    /** Payload bytes as they are (not copied). */
    public static Codec<byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }

    /**
     * UTF-8 text. Decoding is strict: malformed UTF-8 throws {@link CodecException} (so a producer's
     * binary record is dead-lettered instead of silently turned into replacement characters).
     * Encoding a string with an unpaired surrogate throws {@link CodecException}.
     */
    public static Codec<String> utf8() {
        return Utf8Codec.INSTANCE;
    }

    private static final class BytesCodec implements Codec<byte[]> {
        static final BytesCodec INSTANCE = new BytesCodec();

        @Override
        public byte[] encode(byte[] value) {
            if (value == null) {
                throw new CodecException("bytes codec: value must not be null (use an empty array)");
            }
            return value;
        }

        @Override
        public byte[] decode(byte[] payload) {
            return payload;
        }

        @Override
        public String name() {
            return "bytes";
        }
    }

    private static final class Utf8Codec implements Codec<String> {
        static final Utf8Codec INSTANCE = new Utf8Codec();

        @Override
        public byte[] encode(String value) {
            if (value == null) {
                throw new CodecException("utf8 codec: value must not be null (use an empty string)");
            }
            try {
                ByteBuffer b = StandardCharsets.UTF_8
                        .newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .encode(java.nio.CharBuffer.wrap(value));
                byte[] out = new byte[b.remaining()];
                b.get(out);
                return out;
            } catch (CharacterCodingException e) {
                throw new CodecException("utf8 codec: the string has an unpaired surrogate and cannot be encoded", e);
            }
        }

        @Override
        public String decode(byte[] payload) {
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(payload))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new CodecException("utf8 codec: payload of " + payload.length + " bytes is not valid UTF-8", e);
            }
        }

        @Override
        public String name() {
            return "utf8";
        }
    }
}
