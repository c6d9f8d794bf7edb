/**
 * The processor rules (C family of TCK-RULES.md): {@link dev.tributary.tck.processor.ProcessorTck}
 * runs stream-core's tail and group processors against a backend, so that checkpoints, dead letters,
 * lifecycle and the error policy are proven on every backend, not only on the memory one.
 */
package dev.tributary.tck.processor;
