/**
 * The command line's opt-in Prometheus scrape endpoint ({@code demo --metrics-port}): the
 * stream-micrometer meters in a Prometheus registry, served by the JDK's HTTP server. Not an API.
 */
package dev.tributary.cli.metrics;
