/**
 * OpenTelemetry tracing for Tributary: W3C trace context in record headers and messaging spans.
 * Start at {@link dev.tributary.opentelemetry.TributaryTracing}. Depends on the OpenTelemetry API
 * only; an application brings the SDK.
 */
package dev.tributary.opentelemetry;
