/**
 * Micrometer meters for Tributary clients, processors and consumer groups. Start at
 * {@link dev.tributary.micrometer.TributaryMetrics}; meter names are in
 * {@link dev.tributary.micrometer.TributaryMeters}. Nothing here touches a backend: clients are
 * wrapped with the forwarding decorators of {@code dev.tributary.spi}, processors report through
 * {@link dev.tributary.core.ProcessorListener}.
 */
package dev.tributary.micrometer;
