/**
 * Not API: the machinery behind the processors and the publisher (lifecycle, retry loops, dead-letter
 * writing, lanes). Anything here may change without notice; use {@link dev.tributary.core} instead.
 */
package dev.tributary.core.internal;
