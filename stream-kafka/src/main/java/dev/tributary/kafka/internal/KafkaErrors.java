package dev.tributary.kafka.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.spi.TlsFailure;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Maps Kafka's exceptions onto {@link ErrorKind}. Retriable exceptions and timeouts are
 * {@link ErrorKind#RETRYABLE}; a record too large is {@link ErrorKind#TOO_LARGE}; SASL authentication
 * and authorization failures are {@link ErrorKind#AUTHENTICATION}; a failed TLS handshake (a server
 * certificate for another host, expired, of an untrusted CA) is {@link ErrorKind#CONFIGURATION} naming
 * the problem, as on every backend ({@link TlsFailure}); an unknown topic is
 * {@link ErrorKind#NOT_FOUND}. Appends have their own mapping ({@link #forAppend}) because a
 * delivery timeout leaves their outcome unknown.
 */
public final class KafkaErrors {
    private KafkaErrors() {}

    /** Strips future wrappers. */
    public static Throwable cause(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof ExecutionException || cur instanceof CompletionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** The kind of a failure of a read, admin or group call. */
    public static StreamException map(String what, Throwable t) {
        Throwable c = cause(t);
        if (c instanceof StreamException se) {
            return se;
        }
        ErrorKind kind = kind(c);
        return new StreamException(kind, what + " failed: " + describe(c) + hint(kind), c);
    }

    /**
     * The kind of a failed append. A {@link TimeoutException} means the delivery timeout (or the
     * metadata wait) ran out. If a request may have reached the broker meanwhile
     * ({@code maybeSent}), the outcome is unknown: {@link ErrorKind#INDETERMINATE}. If nothing was
     * written to any socket since the append (broker unreachable), nothing was stored:
     * {@link ErrorKind#RETRYABLE}. An {@link OutOfOrderSequenceException} (seen in a cluster when
     * acks=all stalls longer than the delivery timeout) is {@link ErrorKind#INDETERMINATE} as well.
     */
    public static StreamException forAppend(String what, Throwable t, boolean maybeSent) {
        Throwable c = cause(t);
        if (c instanceof StreamException se) {
            return se;
        }
        ErrorKind kind;
        if (c instanceof BufferExhaustedException) {
            kind = ErrorKind.BACKPRESSURE;
        } else if (c instanceof TimeoutException && maybeSent) {
            kind = ErrorKind.INDETERMINATE;
        } else if (c instanceof OutOfOrderSequenceException) {
            // the idempotent producer lost its place in the partition's sequence: batches before this one
            // expired while acks=all stalled (a leader change, a follower leaving the ISR) and may or may
            // not be stored; the producer bumps its epoch and goes on, so a retry works
            kind = ErrorKind.INDETERMINATE;
        } else {
            kind = kind(c);
        }
        return new StreamException(kind, what + " failed: " + describe(c) + hint(kind), c);
    }

    static ErrorKind kind(Throwable c) {
        if (c instanceof RecordTooLargeException || c instanceof RecordBatchTooLargeException) {
            return ErrorKind.TOO_LARGE;
        }
        if (c instanceof SslAuthenticationException) {
            // kafka-clients files a failed TLS handshake under authentication; it is the client's trust
            // settings (or the server's certificate) that must change, as on the other backends
            return ErrorKind.CONFIGURATION;
        }
        if (c instanceof AuthenticationException
                || c instanceof AuthorizationException
                || c instanceof SecurityDisabledException) {
            return ErrorKind.AUTHENTICATION;
        }
        if (c instanceof UnknownTopicOrPartitionException || c instanceof GroupIdNotFoundException) {
            return ErrorKind.NOT_FOUND;
        }
        if (c instanceof OffsetOutOfRangeException
                || c instanceof org.apache.kafka.clients.consumer.OffsetOutOfRangeException) {
            return ErrorKind.DATA_LOSS;
        }
        if (c instanceof WakeupException) {
            return ErrorKind.CLOSED;
        }
        if (c instanceof InterruptException || c instanceof InterruptedException) {
            return ErrorKind.RETRYABLE;
        }
        if (c instanceof RetriableException || c instanceof TimeoutException || c instanceof CancellationException) {
            return ErrorKind.RETRYABLE;
        }
        if (c instanceof InvalidTopicException
                || c instanceof InvalidConfigurationException
                || c instanceof UnsupportedVersionException) {
            return ErrorKind.CONFIGURATION;
        }
        if (c instanceof KafkaException) {
            // e.g. a disconnect surfaced as a plain KafkaException: the broker may answer later.
            return c.getCause() != null && c.getCause() != c ? kind(c.getCause()) : ErrorKind.INTERNAL;
        }
        if (c instanceof java.io.IOException) {
            return ErrorKind.RETRYABLE;
        }
        return ErrorKind.INTERNAL;
    }

    /** The trust options of a TLS listener's CA, for the message of an untrusted server certificate. */
    static final String TRUST_OPTIONS =
            "kafka.ssl.truststore.type=PEM and kafka.ssl.truststore.certificates=<its " + "PEM text>";
    /** The documented opt-out of the host-name check (kafka-clients' own property, emptied). */
    static final String HOST_CHECK_OPT_OUT = "kafka.ssl.endpoint.identification.algorithm= (empty)";

    private static String describe(Throwable c) {
        if (c instanceof SslAuthenticationException) {
            TlsFailure f = TlsFailure.of(c).orElse(TlsFailure.HANDSHAKE);
            String why = TlsFailure.explain(c, null, TRUST_OPTIONS, HOST_CHECK_OPT_OUT);
            if (why == null || f == TlsFailure.HANDSHAKE) {
                return (why == null ? "the TLS handshake failed (" + c.getMessage() + ")" : why)
                        + "; check the server certificate, the kafka.ssl.* options and the URI scheme (kafka+ssl:// "
                        + "only for TLS listeners)";
            }
            return why;
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String hint(ErrorKind kind) {
        switch (kind) {
            case RETRYABLE:
                return " (transient; retry with backoff)";
            case INDETERMINATE:
                return " (the record may or may not have been stored)";
            case AUTHENTICATION:
                return " (check the credentials and ACLs; not retried)";
            case TOO_LARGE:
                return " (raise the topic's max.message.bytes or send smaller records)";
            default:
                return "";
        }
    }
}
