package dev.tributary.nats.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import dev.tributary.spi.TlsFailure;
import io.nats.client.AuthenticationException;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Maps jnats and JetStream API failures onto {@link ErrorKind}, and keeps secrets out of messages.
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><td>timeouts, I/O errors, disconnects, "not connected", no-responders of the API</td><td>RETRYABLE</td></tr>
 *   <tr><td>an append whose PubAck did not arrive in time</td><td>INDETERMINATE</td></tr>
 *   <tr><td>maximum payload exceeded</td><td>TOO_LARGE</td></tr>
 *   <tr><td>authorization violation, authentication failure</td><td>AUTHENTICATION</td></tr>
 *   <tr><td>TLS handshake failure: certificate for another host, expired or not yet valid, issued by an
 *   untrusted CA; plain client to a TLS server (the message names which)</td><td>CONFIGURATION</td></tr>
 *   <tr><td>stream not found (10059), consumer not found (10014), no message (10037)</td><td>NOT_FOUND</td></tr>
 *   <tr><td>JetStream not enabled (10076, 10039), name clash or subject overlap (10058, 10065)</td><td>CONFIGURATION</td></tr>
 *   <tr><td>no suitable peers for placement (10005): fewer healthy servers than the stream's replicas, as
 *   while a cluster starts or a server is down (permanent if the replicas exceed the cluster's size, which
 *   the message says)</td><td>RETRYABLE</td></tr>
 *   <tr><td>other API errors 5xx / 4xx</td><td>RETRYABLE / INTERNAL</td></tr>
 * </table>
 */
public final class NatsErrors {
    public static final int STREAM_NOT_FOUND = 10059;
    public static final int CONSUMER_NOT_FOUND = 10014;
    public static final int NO_MESSAGE_FOUND = 10037;
    public static final int STREAM_NAME_IN_USE = 10058;
    public static final int SUBJECTS_OVERLAP = 10065;
    public static final int JETSTREAM_NOT_ENABLED = 10076;
    public static final int JETSTREAM_NOT_ENABLED_ACCOUNT = 10039;
    public static final int CONSUMER_ALREADY_EXISTS = 10148;
    public static final int CONSUMER_NAME_EXISTS = 10013;
    public static final int NO_SUITABLE_PEERS = 10005;

    private final Set<String> secrets;
    private final String host;

    public NatsErrors(Set<String> secrets) {
        this(secrets, null);
    }

    /** @param host the host of the URI, named when a server certificate is not valid for it; or null */
    public NatsErrors(Set<String> secrets, String host) {
        this.secrets = Set.copyOf(secrets);
        this.host = host;
    }

    /** The API error code of a JetStream error anywhere in the chain, or -1. */
    public static int apiCode(Throwable t) {
        Throwable c = root(t);
        return c instanceof JetStreamApiException j ? j.getApiErrorCode() : -1;
    }

    private static Throwable root(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** Removes every secret from a text. */
    public String redact(String s) {
        if (s == null) {
            return null;
        }
        String out = s;
        for (String secret : secrets) {
            out = out.replace(secret, "****");
        }
        return out;
    }

    /**
     * Maps a failure of an operation described by {@code what} (e.g. "append to 'orders'").
     *
     * @param append true for an append: a timeout then means INDETERMINATE
     */
    public StreamException map(Throwable t, String what, boolean append) {
        Throwable c = root(t);
        if (c instanceof StreamException se) {
            return se;
        }
        if (c instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return wrap(append ? ErrorKind.INDETERMINATE : ErrorKind.RETRYABLE, what + " was interrupted", c);
        }
        if (c instanceof JetStreamApiException j) {
            return wrap(
                    kindOf(j),
                    what + " failed: " + j.getErrorDescription() + " (JetStream error " + j.getApiErrorCode() + ")"
                            + hint(j.getApiErrorCode()),
                    c);
        }
        if (c instanceof JetStreamStatusException s) {
            int code = s.getStatus().getCode();
            ErrorKind k = code == 503 || code == 409 ? ErrorKind.NOT_FOUND : ErrorKind.RETRYABLE;
            return wrap(k, what + " failed: " + s.getStatus().getMessageWithCode(), c);
        }
        if (c instanceof SSLException || hasCause(c, SSLException.class)) {
            return wrap(ErrorKind.CONFIGURATION, what + " failed: " + tlsProblem(c), c);
        }
        if (c instanceof AuthenticationException) {
            return wrap(
                    ErrorKind.AUTHENTICATION,
                    what + " failed: the server rejected the credentials (" + c.getMessage()
                            + "); check the user, password or token of the URI",
                    c);
        }
        if (c instanceof TimeoutException || c instanceof CancellationException) {
            return wrap(
                    append ? ErrorKind.INDETERMINATE : ErrorKind.RETRYABLE,
                    what + " got no answer in time" + (append ? "; the record may or may not be stored" : ""),
                    c);
        }
        String msg = String.valueOf(c.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("authorization violation")
                || lower.contains("authentication")
                || lower.contains("permissions violation")
                || lower.contains("user authentication expired")) {
            return wrap(
                    ErrorKind.AUTHENTICATION,
                    what + " failed: the server rejected the credentials (" + msg
                            + "); check the user, password or token of the URI",
                    c);
        }
        if (lower.contains("maximum payload") || lower.contains("max payload") || lower.contains("payload size")) {
            return wrap(
                    ErrorKind.TOO_LARGE,
                    what + " failed: the message exceeds the server's max_payload (" + msg + ")",
                    c);
        }
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return wrap(
                    append ? ErrorKind.INDETERMINATE : ErrorKind.RETRYABLE,
                    what + " got no answer in time (" + msg + ")"
                            + (append ? "; the record may or may not be stored" : ""),
                    c);
        }
        if (c instanceof IllegalStateException && lower.contains("closed")) {
            return wrap(ErrorKind.RETRYABLE, what + " failed: the connection is closed (" + msg + ")", c);
        }
        if (c instanceof IOException || c instanceof IllegalStateException) {
            return wrap(ErrorKind.RETRYABLE, what + " failed: " + msg, c);
        }
        return wrap(ErrorKind.INTERNAL, what + " failed unexpectedly: " + c, c);
    }

    /**
     * Why a TLS handshake failed, with what to do: the kit-wide wording of {@link TlsFailure} with this
     * backend's options; a failure that is no certificate problem most often means a plain-text server.
     */
    private String tlsProblem(Throwable t) {
        if (TlsFailure.of(t).orElse(TlsFailure.HANDSHAKE) == TlsFailure.HANDSHAKE) {
            return "TLS handshake failed (" + t.getMessage() + "); check the server certificate, tlsCaFile and the "
                    + "URI scheme (tls:// for TLS servers)";
        }
        return TlsFailure.explain(t, host, "tlsCaFile (a PEM file)", "tlsVerifyHostname=false");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static String hint(int api) {
        return api == NO_SUITABLE_PEERS
                ? "; fewer servers are up and healthy than the stream's replicas: retry once the cluster is healthy,"
                        + " or lower the replicas option if the cluster has fewer servers"
                : "";
    }

    static ErrorKind kindOf(JetStreamApiException j) {
        int api = j.getApiErrorCode();
        switch (api) {
            case STREAM_NOT_FOUND:
            case CONSUMER_NOT_FOUND:
            case NO_MESSAGE_FOUND:
                return ErrorKind.NOT_FOUND;
            case STREAM_NAME_IN_USE:
            case SUBJECTS_OVERLAP:
            case JETSTREAM_NOT_ENABLED:
            case JETSTREAM_NOT_ENABLED_ACCOUNT:
                return ErrorKind.CONFIGURATION;
            case NO_SUITABLE_PEERS:
                return ErrorKind.RETRYABLE;
            default:
                break;
        }
        int code = j.getErrorCode();
        if (code == 404) {
            return ErrorKind.NOT_FOUND;
        }
        if (code == 401 || code == 403) {
            return ErrorKind.AUTHENTICATION;
        }
        if (code == 503 || code == 408 || code >= 500) {
            return ErrorKind.RETRYABLE;
        }
        return ErrorKind.INTERNAL;
    }

    /** A StreamException whose message and cause chain are free of secrets. */
    public StreamException wrap(ErrorKind kind, String message, Throwable cause) {
        return new StreamException(kind, redact(message), redactedCause(cause));
    }

    private Throwable redactedCause(Throwable cause) {
        if (cause == null) {
            return null;
        }
        if (secrets.isEmpty()) {
            return cause;
        }
        Redacted r = new Redacted(
                cause.getClass().getName() + ": " + redact(cause.getMessage()),
                redactedCause(cause.getCause() == cause ? null : cause.getCause()));
        r.setStackTrace(cause.getStackTrace());
        return r;
    }

    /** Stands in for a native exception whose message might hold a secret. */
    static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
