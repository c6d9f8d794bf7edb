package dev.tributary.tck.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.tck.selftest.KitSelfTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The processor kit tests itself: C9 and C10 run on deliberately broken processors over the memory
 * backend (which passes them: {@code MemoryProcessorTckTest}) and must fail each one, with a failure
 * that names the likely cause — the processor, not the backend.
 */
class BrokenProcessorsTest {

    static Stream<Arguments> brokenProcessors() {
        return Stream.of(
                Arguments.of(BrokenProcessors.CheckpointsBeforeHandling.class, "C9", "ahead of what its handler"),
                Arguments.of(BrokenProcessors.SkipsEvents.class, "C9", "never handled"),
                Arguments.of(BrokenProcessors.SwapsKeyOrder.class, "C9", "out of append order"),
                Arguments.of(BrokenProcessors.IgnoresGroupStart.class, "C10", "start where they were asked"));
    }

    @ParameterizedTest(name = "{0} is caught by {1}")
    @MethodSource("brokenProcessors")
    void brokenProcessorIsCaughtByTheExpectedRule(Class<?> kit, String rule, String symptom) {
        String reason = KitSelfTest.assertCaughtBy(kit, rule, "broken processor on memory");
        assertTrue(reason.contains(symptom), "the failure states the symptom (" + symptom + "): " + reason);
    }
}
