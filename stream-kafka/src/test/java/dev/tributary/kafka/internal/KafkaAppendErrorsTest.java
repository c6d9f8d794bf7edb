package dev.tributary.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.ErrorKind;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** How failed appends are classified in a cluster's failovers (rules R1, R2). */
class KafkaAppendErrorsTest {

    @Test
    void anOutOfOrderSequenceAfterAStalledIsrIsIndeterminateSoTheApplicationRetries() {
        assertEquals(
                ErrorKind.INDETERMINATE,
                KafkaErrors.forAppend(
                                "append",
                                new OutOfOrderSequenceException("The broker received an out of order sequence number."),
                                true)
                        .kind());
    }

    @Test
    void aLeaderChangeIsRetryableAndAnExpiredSentAppendIndeterminate() {
        assertEquals(
                ErrorKind.RETRYABLE,
                KafkaErrors.forAppend("append", new NotLeaderOrFollowerException("moved"), true)
                        .kind());
        assertEquals(
                ErrorKind.INDETERMINATE,
                KafkaErrors.forAppend("append", new TimeoutException("expired"), true)
                        .kind());
        assertEquals(
                ErrorKind.RETRYABLE,
                KafkaErrors.forAppend("append", new TimeoutException("expired"), false)
                        .kind());
    }
}
