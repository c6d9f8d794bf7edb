package dev.tributary.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.core.Codec;
import dev.tributary.core.CodecException;
import java.io.IOException;

/** JSON payloads through Jackson: what a real application would plug into the publisher and processors. */
final class JsonCodec implements Codec<JsonNode> {
    private final ObjectMapper mapper;

    JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] encode(JsonNode value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new CodecException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public JsonNode decode(byte[] payload) {
        try {
            return mapper.readTree(payload);
        } catch (IOException e) {
            throw new CodecException("not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "json";
    }
}
