/**
 * Spring Boot auto-configuration for Tributary: set {@code tributary.uri} and the
 * {@link dev.tributary.StreamClient}, {@link dev.tributary.spring.boot.TributaryPublishers publishers}
 * and {@link dev.tributary.spring.boot.TributaryProcessors processor builders} are beans; the
 * application's {@link dev.tributary.core.Processor} beans start with the context and stop
 * gracefully with it; health, Micrometer meters and OpenTelemetry tracing switch on when their
 * libraries are present. Every bean yields to one the application defines. The backend is chosen
 * by the backend jar on the class path, as everywhere in Tributary.
 */
package dev.tributary.spring.boot;
