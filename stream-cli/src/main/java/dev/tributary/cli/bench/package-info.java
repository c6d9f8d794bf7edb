/**
 * {@code tributary bench}: append and consume throughput and latency through Tributary and through
 * the backend's raw native client doing the same work in the same run, side by side. Not an API.
 */
package dev.tributary.cli.bench;
