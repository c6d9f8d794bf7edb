package dev.tributary.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkloadTest {
    @Test
    void aBatchLargerThanAProcessorTakesIsRefusedBeforeAnyWork() {
        assertEquals(100_000, new Workload(10, 1, 100_000, 1, 1, 1, false).batch());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Workload(10, 1, 100_001, 1, 1, 1, false));
        assertTrue(e.getMessage().contains("--batch is at most 100000"), e.getMessage());
    }

    @Test
    void recordsAreSharedOutOverTheProducers() {
        Workload w = new Workload(10, 1, 1, 3, 1, 1, false);
        assertEquals(4, w.recordsOf(0));
        assertEquals(3, w.recordsOf(1));
        assertEquals(3, w.recordsOf(2));
    }
}
