package dev.tributary.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.StreamName;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TckTest {

    @AfterEach
    void clearScale() {
        System.clearProperty(Tck.TIMEOUT_SCALE_PROPERTY);
    }

    @Test
    void timeoutsAreScaledByTheSystemProperty() {
        assertEquals(Duration.ofSeconds(2), Tck.scaled(Duration.ofSeconds(2)), "default scale 1");
        System.setProperty(Tck.TIMEOUT_SCALE_PROPERTY, "2.5");
        assertEquals(Duration.ofSeconds(5), Tck.scaled(Duration.ofSeconds(2)));
        assertEquals(Duration.ofMillis(250), Tck.scaledMillis(100));
        System.setProperty(Tck.TIMEOUT_SCALE_PROPERTY, "0.0001");
        assertEquals(Duration.ofMillis(1), Tck.scaled(Duration.ofMillis(2)), "never below 1 ms");
    }

    @Test
    void aBadScaleIsRejectedWithTheProperty() {
        System.setProperty(Tck.TIMEOUT_SCALE_PROPERTY, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Tck::timeoutScale);
        assertTrue(e.getMessage().contains(Tck.TIMEOUT_SCALE_PROPERTY), e.getMessage());
        System.setProperty(Tck.TIMEOUT_SCALE_PROPERTY, "-1");
        assertThrows(IllegalArgumentException.class, Tck::timeoutScale);
    }

    @Test
    void namesAreFreshValidAndCarryTheRunId() {
        StreamName a = Tck.streamName("A4");
        StreamName b = Tck.streamName("A4");
        assertNotEquals(a, b);
        assertTrue(a.value().startsWith("tck-" + Tck.runId() + "-a4-"), a.value());
        assertTrue(StreamName.isValid(Tck.name("Group.Name")), Tck.name("x"));
        assertTrue(Tck.runId().matches("[a-z][a-z0-9]{7}"), Tck.runId());
    }
}
