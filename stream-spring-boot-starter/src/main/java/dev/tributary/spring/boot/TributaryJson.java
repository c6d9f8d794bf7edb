package dev.tributary.spring.boot;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.codec.jackson.JacksonCodec;
import dev.tributary.core.Codec;
import java.util.Objects;

/**
 * JSON codecs for publishers and processors, made with one Jackson 2 {@link ObjectMapper}.
 *
 * <h2>Which mapper</h2>
 * Tributary's JSON codec ({@code stream-codec-jackson}) is built on Jackson 2
 * ({@code com.fasterxml.jackson}), so payloads read the same in every Tributary application, with
 * or without Spring. Spring Boot 4 configures Jackson 3 ({@code tools.jackson}) by default, and
 * {@code spring.jackson.*} settings apply to that mapper, not to this one. The starter uses the
 * application's Jackson 2 {@code ObjectMapper} bean when there is exactly one (declare one, or add
 * Spring Boot's {@code spring-boot-jackson2} module), else a default mapper with the modules on the
 * class path registered. To choose another mapper or format, define a {@code TributaryJson} bean
 * or pass any {@link Codec} to the factories.
 */
public final class TributaryJson {
    private final ObjectMapper mapper;

    /** JSON codecs on {@code mapper}. */
    public TributaryJson(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A codec for {@code type}; undecodable payloads throw {@link dev.tributary.core.CodecException}. */
    public <T> Codec<T> codec(Class<T> type) {
        return JacksonCodec.of(mapper, type);
    }

    /** A codec for a generic type. */
    public <T> Codec<T> codec(TypeReference<T> type) {
        return JacksonCodec.of(mapper, type);
    }

    /** The mapper the codecs use. */
    public ObjectMapper objectMapper() {
        return mapper;
    }
}
