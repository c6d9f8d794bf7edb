/**
 * Implementation of the Redis backend: connection handling (one shared pipelined connection plus a
 * bounded pool of dedicated connections for blocking reads), the entry layout, Lua scripts and the
 * mapping of Redis and Lettuce failures onto {@link dev.tributary.ErrorKind}. Not API: nothing here
 * is stable.
 */
package dev.tributary.redis.internal;
