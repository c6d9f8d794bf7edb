package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.Partitioner;
import dev.tributary.StreamRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where a record goes among a stream's partitions. */
class PartitionedAppenderTest {

    @Test
    void aKeyedRecordGoesToItsKeysPartitionWhateverTheCounter() {
        StreamRecord r = StreamRecord.builder().payload("x").key("customer-7").build();
        int expected = Partitioner.partition("customer-7".getBytes(StandardCharsets.UTF_8), 6);
        for (int next = 0; next < 10; next++) {
            assertEquals(expected, PartitionedAppender.partitionOf(r, 6, next));
        }
    }

    @Test
    void aKeylessRecordWithAnIdempotencyIdGoesWhereItsIdHashesSoARetryMeetsItsFirstTry() {
        StreamRecord r = StreamRecord.of("x").withIdempotencyId("order-1234");
        int expected = Partitioner.partition("order-1234".getBytes(StandardCharsets.UTF_8), 6);
        for (int next = 0; next < 10; next++) {
            assertEquals(expected, PartitionedAppender.partitionOf(r, 6, next));
        }
    }

    @Test
    void theKeyWinsOverTheIdempotencyId() {
        StreamRecord r = StreamRecord.builder()
                .payload("x")
                .key("customer-7")
                .idempotencyId("order-1234")
                .build();
        assertEquals(
                Partitioner.partition("customer-7".getBytes(StandardCharsets.UTF_8), 5),
                PartitionedAppender.partitionOf(r, 5, 3));
    }

    @Test
    void otherRecordsAreSpreadByTheCounter() {
        StreamRecord r = StreamRecord.of("x");
        for (int next = 0; next < 8; next++) {
            assertEquals(next % 4, PartitionedAppender.partitionOf(r, 4, next));
        }
        assertEquals(3, PartitionedAppender.partitionOf(r, 4, -1), "a counter that wrapped stays in range");
    }
}
