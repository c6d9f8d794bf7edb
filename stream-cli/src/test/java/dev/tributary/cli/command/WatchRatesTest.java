package dev.tributary.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rates of {@code groups --watch}, from samples built by hand: no broker, no clock. */
class WatchRatesTest {
    static final StreamName S = StreamName.of("orders");
    static final long SECOND = 1_000_000_000L;

    static EventId id(long n) {
        return EventId.ofSequence(n);
    }

    /** A sample at {@code seconds}, of a stream holding events {@code first..first+length-1}. */
    static WatchSample sample(double seconds, long first, long length, GroupInfo... groups) {
        StreamInfo info = length == 0
                ? StreamInfo.empty(S)
                : StreamInfo.of(S, length, id(first), Instant.EPOCH, id(first + length - 1), Instant.EPOCH);
        return new WatchSample((long) (seconds * SECOND), Instant.EPOCH, info, List.of(groups));
    }

    static GroupInfo group(String name, long pending, long lag) {
        return new GroupInfo(name, pending, lag, List.of("m1"), Optional.empty());
    }

    @Test
    void appendedPerSecondIsTheStreamsGrowthOverTheTimeBetweenSamples() {
        WatchRates r = WatchRates.between(sample(10, 1, 100), sample(12, 1, 600));
        assertEquals(250.0, r.appendedPerSecond());
    }

    @Test
    void ackedIsWhatLeftLagAndPendingOfWhatWasAppended() {
        // 500 appended; lag 40 -> 90 (+50), pending 10 -> 30 (+20): 500 - 50 - 20 = 430 acked in 2 s
        WatchRates r = WatchRates.between(
                sample(0, 1, 100, group("billing", 10, 40)), sample(2, 1, 600, group("billing", 30, 90)));
        assertEquals(215.0, r.group("billing").ackedPerSecond());
        assertEquals(25.0, r.group("billing").lagPerSecond());
    }

    @Test
    void aGroupCatchingUpWithNothingAppendedAcksWhatItsLagAndPendingLost() {
        WatchRates r = WatchRates.between(sample(0, 1, 100, group("g", 5, 60)), sample(0.5, 1, 100, group("g", 0, 10)));
        assertEquals(0.0, r.appendedPerSecond());
        assertEquals(110.0, r.group("g").ackedPerSecond());
        assertEquals(-100.0, r.group("g").lagPerSecond());
    }

    @Test
    void aTrimmedStreamMakesAppendedAndAckedUnknownButNotTheLagChange() {
        WatchRates moved =
                WatchRates.between(sample(0, 1, 100, group("g", 0, 10)), sample(1, 51, 100, group("g", 0, 20)));
        assertTrue(Double.isNaN(moved.appendedPerSecond()));
        assertTrue(Double.isNaN(moved.group("g").ackedPerSecond()));
        assertEquals(10.0, moved.group("g").lagPerSecond());
        assertTrue(
                Double.isNaN(
                        WatchRates.between(sample(0, 1, 100), sample(1, 1, 90)).appendedPerSecond()),
                "a stream that shrank was trimmed");
        assertTrue(
                Double.isNaN(
                        WatchRates.between(sample(0, 1, 100), sample(1, 1, 0)).appendedPerSecond()),
                "an emptied stream was trimmed");
    }

    @Test
    void aStreamThatWasEmptyGrewByWhatWasAppended() {
        assertEquals(30.0, WatchRates.between(sample(0, 1, 0), sample(1, 1, 30)).appendedPerSecond());
    }

    @Test
    void aMissingStreamHasNoRates() {
        WatchSample missing = new WatchSample(0, Instant.EPOCH, StreamInfo.missing(S), List.of());
        assertTrue(Double.isNaN(WatchRates.between(missing, sample(1, 1, 10)).appendedPerSecond()));
    }

    @Test
    void anUnknownLagOrANewGroupHasNoGroupRates() {
        WatchRates r = WatchRates.between(
                sample(0, 1, 10, group("blind", 0, -1)),
                sample(1, 1, 20, group("blind", 0, -1), group("fresh", 0, 20)));
        assertEquals(10.0, r.appendedPerSecond());
        assertTrue(Double.isNaN(r.group("blind").ackedPerSecond()));
        assertTrue(Double.isNaN(r.group("blind").lagPerSecond()));
        assertTrue(Double.isNaN(r.group("fresh").ackedPerSecond()));
    }

    @Test
    void aSmallNegativeAckedFromNonAtomicReadsIsShownAsZero() {
        // the groups were read after two more appends than the stream's length saw
        WatchRates r = WatchRates.between(sample(0, 1, 10, group("g", 0, 0)), sample(1, 1, 10, group("g", 0, 2)));
        assertEquals(0.0, r.group("g").ackedPerSecond());
        assertEquals(2.0, r.group("g").lagPerSecond());
    }

    @Test
    void samplesOutOfOrderAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WatchRates.between(sample(2, 1, 10), sample(2, 1, 10)));
        assertTrue(e.getMessage().contains("after the first"), e.getMessage());
    }
}
