/**
 * JSON for {@code stream-core} with Jackson: {@link dev.tributary.codec.jackson.JacksonCodec}. A separate
 * module so that {@code stream-core} does not depend on Jackson.
 */
package dev.tributary.codec.jackson;
