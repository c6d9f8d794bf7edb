package dev.tributary.tck.selftest;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit tests itself: it runs on deliberately broken backends and must fail each one at the rule
 * that states the broken promise. Only that rule runs (the memory backend itself passes every rule:
 * {@code MemoryTckTest}), so the test says exactly which rule caught which defect.
 */
class BrokenBackendsTest {

    static Stream<Arguments> brokenBackends() {
        return Stream.of(
                Arguments.of(BrokenKits.DropsEvents.class, "A2"),
                Arguments.of(BrokenKits.ReordersBatch.class, "A8"),
                Arguments.of(BrokenKits.SymbolicLatest.class, "P2"),
                Arguments.of(BrokenKits.InclusiveAfter.class, "P3"),
                Arguments.of(BrokenKits.InfoThrowsOnEmpty.class, "H3"),
                Arguments.of(BrokenKits.AckNotIdempotent.class, "G6"),
                Arguments.of(BrokenKits.ManglesNonAsciiHeaders.class, "A5"),
                Arguments.of(BrokenKits.CloseDoesNotWake.class, "L4"),
                Arguments.of(BrokenKits.NeverRedelivers.class, "G5"),
                Arguments.of(BrokenKits.DeclaresIdempotenceItLacks.class, "A9"),
                Arguments.of(BrokenKits.UndeclaredTimePositionWorks.class, "P5"),
                Arguments.of(BrokenKits.IgnoresGaps.class, "P6"),
                Arguments.of(BrokenKits.CloseIsANoOp.class, "L3"),
                Arguments.of(BrokenKits.NullPointerOnNullName.class, "E1"),
                Arguments.of(BrokenKits.LeaksAThreadPerClient.class, "L5"),
                Arguments.of(BrokenKits.RangeSwallowsErrors.class, "H2"),
                Arguments.of(BrokenKits.UnenforcedLimit.class, "A4"),
                Arguments.of(BrokenKits.EmptyKeyBecomesNoKey.class, "A3"),
                Arguments.of(BrokenKits.InfoLengthOffByOne.class, "H4"),
                Arguments.of(BrokenKits.PendingAlwaysZero.class, "G8"),
                Arguments.of(BrokenKits.MissingGroupReadsEmpty.class, "E4"),
                Arguments.of(BrokenPromiseKits.SwapsAppendIds.class, "A12"),
                Arguments.of(BrokenPromiseKits.IgnoresGroupStart.class, "G11"),
                Arguments.of(BrokenPromiseKits.ClearsInterruptFlag.class, "L7"),
                Arguments.of(BrokenStrengthKits.NoPositionBeforeRead.class, "P3"),
                Arguments.of(BrokenStrengthKits.PollIgnoresWait.class, "P8"),
                Arguments.of(BrokenStrengthKits.PollSleepsOutItsWait.class, "P8"),
                Arguments.of(BrokenStrengthKits.ReaderCloseDoesNotWake.class, "L4"),
                Arguments.of(BrokenStrengthKits.AcksLostOnClose.class, "G5"),
                Arguments.of(BrokenStrengthKits.ApproximateTrimNeverTrims.class, "H5"));
    }

    @ParameterizedTest(name = "{0} is caught by {1}")
    @MethodSource("brokenBackends")
    void brokenBackendIsCaughtByTheExpectedRule(Class<?> kit, String rule) {
        KitSelfTest.assertCaughtBy(kit, rule, "broken memory wrapper");
    }
}
