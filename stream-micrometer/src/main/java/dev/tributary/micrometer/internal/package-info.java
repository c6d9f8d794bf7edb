/** Implementation of stream-micrometer; not API, may change without notice. */
package dev.tributary.micrometer.internal;
