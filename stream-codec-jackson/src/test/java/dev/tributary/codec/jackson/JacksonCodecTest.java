package dev.tributary.codec.jackson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ErrorKind;
import dev.tributary.core.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JacksonCodecTest {
    public record Order(String id, int quantity, String note) {}

    @Test
    void recordsRoundTrip() {
        JacksonCodec<Order> codec = JacksonCodec.of(Order.class);
        Order o = new Order("o-1", 3, "ünïcødé \"quoted\" 😀");
        byte[] json = codec.encode(o);
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"quantity\":3"));
        assertEquals(o, codec.decode(json));
        assertEquals("json", codec.name());
    }

    @Test
    void genericTypesRoundTrip() {
        JacksonCodec<List<Order>> codec = JacksonCodec.of(new TypeReference<List<Order>>() {});
        List<Order> orders = List.of(new Order("a", 1, null), new Order("b", 2, "x"));
        assertEquals(orders, codec.decode(codec.encode(orders)));
    }

    @Test
    void malformedPayloadsFailWithTheTypedDecodeException() {
        JacksonCodec<Order> codec = JacksonCodec.of(Order.class);
        for (String bad :
                new String[] {"{", "not json", "{\"id\":\"a\",\"quantity\":\"many\"}", "{\"id\":\"a\"} trailing"}) {
            CodecException e =
                    assertThrows(CodecException.class, () -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        }
        assertThrows(CodecException.class, () -> codec.decode(new byte[0]));
    }

    @Test
    void aGivenMapperIsUsedWithItsSettings() {
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ObjectMapper lenient = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        byte[] extra = "{\"id\":\"a\",\"quantity\":1,\"note\":null,\"extra\":true}".getBytes(StandardCharsets.UTF_8);
        assertThrows(
                CodecException.class, () -> JacksonCodec.of(strict, Order.class).decode(extra));
        assertEquals(
                new Order("a", 1, null), JacksonCodec.of(lenient, Order.class).decode(extra));
    }
}
