/**
 * The in-JVM reference backend of Tributary, selected by the {@code memory:} URI scheme: see
 * {@link dev.tributary.memory.MemoryStreamProvider} for the URI forms, options and semantics.
 * Everything else lives in {@code dev.tributary.memory.internal}, which is not API.
 */
package dev.tributary.memory;
