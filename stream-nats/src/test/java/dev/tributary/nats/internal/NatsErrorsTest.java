package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import io.nats.client.support.JsonParser;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NatsErrorsTest {
    private final NatsErrors errors = new NatsErrors(Set.of("s3cret"));

    private static JetStreamApiException api(int code, int errCode, String description) {
        String json = "{\"type\":\"io.nats.jetstream.api.v1.stream_create_response\",\"error\":{\"code\":" + code
                + ",\"err_code\":" + errCode + ",\"description\":\"" + description + "\"}}";
        return new JetStreamApiException(new StreamInfo(JsonParser.parseUnchecked(json)));
    }

    @Test
    void noSuitablePeersIsRetryableAndSaysWhy() {
        StreamException e = errors.map(api(400, 10005, "no suitable peers for placement"), "create stream s", false);
        assertEquals(ErrorKind.RETRYABLE, e.kind());
        assertTrue(e.getMessage().contains("no suitable peers for placement (JetStream error 10005)"), e.getMessage());
        assertTrue(e.getMessage().contains("replicas"), e.getMessage());
    }

    @Test
    void otherClientErrorsStayInternalWithoutTheHint() {
        StreamException e = errors.map(api(400, 10999, "something else"), "create stream s", false);
        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertFalse(e.getMessage().contains("replicas"), e.getMessage());
    }

    @Test
    void streamNotFoundAndNameClashKeepTheirKinds() {
        assertEquals(
                ErrorKind.NOT_FOUND,
                errors.map(api(404, 10059, "stream not found"), "x", false).kind());
        assertEquals(
                ErrorKind.CONFIGURATION,
                errors.map(api(400, 10058, "name in use"), "x", false).kind());
    }
}
