/**
 * Implementation of the memory backend; not API, may change without notice.
 *
 * <p>Concurrency contract: all state of a store (streams, events, idempotency ids, groups, cursors
 * of readers) is guarded by the store's single lock. Blocked polls wait on conditions of that lock
 * with a bounded timeout and are woken by appends, nacks, deletions and closes; nothing polls on a
 * fixed interval.
 */
package dev.tributary.memory.internal;
