/** Implementation of stream-opentelemetry; not API, may change without notice. */
package dev.tributary.opentelemetry.internal;
