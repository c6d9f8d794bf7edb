package dev.tributary.codec.jackson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tributary.core.Codec;
import dev.tributary.core.CodecException;
import java.io.IOException;
import java.util.Objects;

/**
 * JSON with Jackson, for a class ({@code JacksonCodec.of(Order.class)}) or a generic type
 * ({@code JacksonCodec.of(new TypeReference<List<Order>>() {})}), with a default or a given
 * {@link ObjectMapper}.
 *
 * <p>Payloads that are not valid JSON for the type (syntax errors, wrong shapes, trailing garbage,
 * and — where the mapper is configured so — unknown properties) throw {@link CodecException}, which
 * processors dead-letter at once. A value Jackson cannot write throws {@link CodecException} too. An
 * empty payload is not JSON and fails. Thread-safe: it uses Jackson's immutable reader and writer.
 *
 * @param <T> the value type
 */
public final class JacksonCodec<T> implements Codec<T> {
    private static final ObjectMapper DEFAULT = new ObjectMapper().findAndRegisterModules();

    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final String typeName;

    private JacksonCodec(ObjectMapper mapper, JavaType type) {
        this.reader = mapper.readerFor(type)
                .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writer = mapper.writerFor(type);
        this.typeName = type.toCanonical();
    }

    /** JSON for {@code type} with a mapper that has the modules on the class path registered. */
    public static <T> JacksonCodec<T> of(Class<T> type) {
        return of(DEFAULT, type);
    }

    /** JSON for a generic type. */
    public static <T> JacksonCodec<T> of(TypeReference<T> type) {
        return of(DEFAULT, type);
    }

    /** A codec of {@code type} with {@code mapper}. */
    public static <T> JacksonCodec<T> of(ObjectMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
    }

    /** A codec of a generic {@code type} with {@code mapper}. */
    public static <T> JacksonCodec<T> of(ObjectMapper mapper, TypeReference<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonCodec<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
    }

    @Override
    public byte[] encode(T value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("json codec: cannot write a " + typeName + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new CodecException("json codec: an empty payload is not JSON for " + typeName);
        }
        try {
            return reader.readValue(payload);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.toString();
            throw new CodecException(
                    "json codec: payload of " + payload.length + " bytes is not a " + typeName + ": " + detail, e);
        }
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String toString() {
        return "JacksonCodec[" + typeName + "]";
    }
}
