package dev.tributary;

import java.time.Duration;

/**
 * The answer of a health check: whether the broker answered, how long it took, and a short detail
 * (server version, or why it is down). A health check never throws for an unreachable broker; it
 * throws only {@link ErrorKind#CLOSED} after close.
 */
public record Health(boolean up, Duration latency, String detail) {}
