/**
 * Helpers for kit users: forwarding implementations of {@link dev.tributary.StreamClient},
 * {@link dev.tributary.StreamReader} and {@link dev.tributary.GroupConsumer} that delegate every
 * call, so a test can wrap a real client and change one behaviour (inject a fault, count calls).
 * The kit's own self-test builds its deliberately broken backends this way.
 */
package dev.tributary.tck.support;
