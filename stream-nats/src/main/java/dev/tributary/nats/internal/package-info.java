/**
 * Implementation of the NATS JetStream backend. Not API: classes here change without notice.
 *
 * <p>One JetStream stream per Tributary stream, one subject per stream; reads and groups use pull
 * consumers driven by raw pull requests on a private inbox, so that every poll is bounded in time and
 * wakes on close.
 */
package dev.tributary.nats.internal;
