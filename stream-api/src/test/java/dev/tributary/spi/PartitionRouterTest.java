package dev.tributary.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.EventId;
import dev.tributary.Partitioner;
import dev.tributary.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Where a record goes among a stream's partitions, and a batch split by partition and gathered back. */
class PartitionRouterTest {
    private final PartitionRouter router = new PartitionRouter();

    private static int hash(String s, int n) {
        return Partitioner.partition(s.getBytes(StandardCharsets.UTF_8), n);
    }

    @Test
    void aKeyedRecordGoesToItsKeysPartitionEveryTime() {
        StreamRecord r = StreamRecord.builder().payload("x").key("customer-7").build();
        for (int i = 0; i < 10; i++) {
            assertEquals(hash("customer-7", 6), router.partitionOf(r, 6));
        }
    }

    @Test
    void aKeylessRecordWithAnIdempotencyIdGoesWhereItsIdHashesSoARetryMeetsItsFirstTry() {
        StreamRecord r = StreamRecord.of("x").withIdempotencyId("order-1234");
        for (int i = 0; i < 10; i++) {
            assertEquals(hash("order-1234", 6), router.partitionOf(r, 6));
        }
    }

    @Test
    void theKeyWinsOverTheIdempotencyId() {
        StreamRecord r = StreamRecord.builder()
                .payload("x")
                .key("customer-7")
                .idempotencyId("order-1234")
                .build();
        assertEquals(hash("customer-7", 5), router.partitionOf(r, 5));
    }

    @Test
    void otherRecordsAreSpreadRoundRobin() {
        StreamRecord r = StreamRecord.of("x");
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            got.add(router.partitionOf(r, 4));
        }
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3), got);
    }

    /** A key whose partition among {@code n} differs from {@code other}'s. */
    private static String keyApartFrom(String other, int n) {
        for (int i = 0; ; i++) {
            if (hash("k" + i, n) != hash(other, n)) {
                return "k" + i;
            }
        }
    }

    @Test
    void aBatchIsSplitByPartitionAndItsIdsComeBackInTheBatchsOrder() {
        int n = 8;
        String k2 = keyApartFrom("k1", n);
        List<StreamRecord> batch = List.of(
                StreamRecord.builder().payload("a").key("k1").build(),
                StreamRecord.builder().payload("b").key(k2).build(),
                StreamRecord.builder().payload("c").key("k1").build());
        PartitionRouter.Split split = router.split(batch, n);
        int p1 = hash("k1", n);
        int p2 = hash(k2, n);
        assertEquals(List.of(batch.get(0), batch.get(2)), split.part(p1), "a partition's records keep their order");
        List<Integer> asked = new ArrayList<>();
        List<EventId> ids = split.appendEach((p, records) -> {
                    asked.add(p);
                    List<EventId> out = new ArrayList<>();
                    for (int i = 0; i < records.size(); i++) {
                        out.add(EventId.inPartition(p, EventId.ofSequence(i + 1)));
                    }
                    return CompletableFuture.completedFuture(out);
                })
                .join();
        assertEquals(List.of(Math.min(p1, p2), Math.max(p1, p2)), asked, "only non-empty partitions are appended to");
        assertEquals(
                List.of(
                        EventId.inPartition(p1, EventId.ofSequence(1)),
                        EventId.inPartition(p2, EventId.ofSequence(1)),
                        EventId.inPartition(p1, EventId.ofSequence(2))),
                ids);
    }

    @Test
    void aFailedPartFailsTheBatch() {
        String k2 = keyApartFrom("k1", 8);
        List<StreamRecord> batch = List.of(
                StreamRecord.builder().payload("a").key("k1").build(),
                StreamRecord.builder().payload("b").key(k2).build());
        PartitionRouter.Split split = router.split(batch, 8);
        CompletableFuture<List<EventId>> f = split.appendEach((p, records) -> p == hash(k2, 8)
                ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                : CompletableFuture.completedFuture(List.of(EventId.ofSequence(1))));
        assertEquals(
                "down",
                assertThrows(CompletionException.class, f::join).getCause().getMessage());
    }
}
