package dev.tributary.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's sampler spec, in the style of otel.traces.sampler. */
class ObservedSamplerTest {

    @Test
    void specOverridesPropertiesWhichOverrideTheEnvironment() {
        assertEquals(
                "AlwaysOnSampler", Observed.sampler(null, Map.of(), Map.of()).getDescription());
        assertTrue(Observed.sampler("traceidratio=0.01", Map.of(), Map.of())
                .getDescription()
                .startsWith("TraceIdRatioBased{0.01"));
        assertTrue(Observed.sampler(
                        null,
                        Map.of("otel.traces.sampler", "parentbased_traceidratio", "otel.traces.sampler.arg", "0.5"),
                        Map.of("OTEL_TRACES_SAMPLER", "always_off"))
                .getDescription()
                .startsWith("ParentBased{root:TraceIdRatioBased{0.5"));
        assertEquals(
                "AlwaysOffSampler",
                Observed.sampler(null, Map.of(), Map.of("OTEL_TRACES_SAMPLER", "always_off"))
                        .getDescription());
        assertThrows(IllegalArgumentException.class, () -> Observed.sampler("traceidratio=2", Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Observed.sampler("nope", Map.of(), Map.of()));
    }
}
