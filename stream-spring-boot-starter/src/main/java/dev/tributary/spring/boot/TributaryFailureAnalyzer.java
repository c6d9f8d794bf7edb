package dev.tributary.spring.boot;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up failure caused by a Tributary configuration error (no {@code tributary.uri}, a
 * backend jar missing, a bad setting) into Spring Boot's short "APPLICATION FAILED TO START" report
 * instead of a long stack trace. Other kinds are left to the default report.
 */
class TributaryFailureAnalyzer extends AbstractFailureAnalyzer<StreamException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StreamException cause) {
        if (cause.kind() != ErrorKind.CONFIGURATION) {
            return null;
        }
        return new FailureAnalysis(
                "The Tributary client could not be opened: " + cause.getMessage(),
                "Check the tributary.* properties (tributary.uri chooses the backend, e.g. redis://localhost:6379 "
                        + "or memory:NAME) and that the backend's jar (dev.tributary:stream-redis, stream-kafka, "
                        + "stream-nats or stream-memory) is on the class path.",
                cause);
    }
}
