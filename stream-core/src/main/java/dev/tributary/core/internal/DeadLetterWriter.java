package dev.tributary.core.internal;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.Header;
import dev.tributary.Headers;
import dev.tributary.StreamClient;
import dev.tributary.StreamEvent;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.StreamRecord;
import dev.tributary.core.DeadLetterPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes dead-letter records (see {@link DeadLetterPolicy} for their headers). Thread-safe (lanes
 * of a group processor share one). The append is retried through {@link Retrying} while the kind is
 * retryable; where the backend declares idempotent append the record carries an idempotency id
 * derived from the group, stream and id, so a retried or repeated dead letter is stored once.
 */
public final class DeadLetterWriter {
    /** Longest error text put in a header before it is shortened further to fit the backend's limits. */
    static final int MAX_ERROR_CHARS = 1000;

    private final StreamClient client;
    private final String processor;
    private final String group;
    private final Retrying retrying;
    private final Set<StreamName> created = ConcurrentHashMap.newKeySet();

    public DeadLetterWriter(StreamClient client, String processor, String group, Retrying retrying) {
        this.client = client;
        this.processor = processor;
        this.group = group;
        this.retrying = retrying;
    }

    /** Appends the dead letter of {@code event} to {@code target}; returns its id. */
    public EventId write(StreamName target, StreamEvent event, int attempts, Throwable error, String reason) {
        StreamRecord record = record(event, attempts, error, reason);
        if (created.add(target)) {
            try {
                retrying.run("dead-letter", () -> client.createStream(target));
            } catch (RuntimeException e) {
                created.remove(target);
                throw e;
            }
        }
        return retrying.call("dead-letter", () -> client.append(target, record));
    }

    StreamRecord record(StreamEvent event, int attempts, Throwable error, String reason) {
        int limit = client.limits().maxHeaderBytes();
        int keyBytes = event.key() == null ? 0 : event.key().length;
        String err = describe(error, MAX_ERROR_CHARS);
        Headers headers = headers(event.headers(), event, attempts, err, reason);
        if (headers.byteSize() + keyBytes > limit) {
            headers = headers(event.headers(), event, attempts, describe(error, 120), reason);
        }
        if (headers.byteSize() + keyBytes > limit) {
            // The original headers leave no room for ours: keep ours (they say where the event came from).
            headers = headers(
                    Headers.of("tributary.dlq.headersDropped", "true"), event, attempts, describe(error, 120), reason);
        }
        StreamRecord.Builder b =
                StreamRecord.builder().payload(event.payload()).key(event.key()).headers(headers);
        if (client.supports(Capability.IDEMPOTENT_APPEND)) {
            b.idempotencyId(idempotencyId(event));
        }
        return b.build();
    }

    private Headers headers(Headers original, StreamEvent event, int attempts, String err, String reason) {
        Headers.Builder b = Headers.builder();
        for (Header h : original) {
            b.add(h.key(), h.value());
        }
        b.add(DeadLetterPolicy.HEADER_STREAM, event.stream().value());
        b.add(DeadLetterPolicy.HEADER_ID, event.id().toString());
        b.add(DeadLetterPolicy.HEADER_ATTEMPTS, Integer.toString(attempts));
        b.add(DeadLetterPolicy.HEADER_ERROR, err);
        b.add(DeadLetterPolicy.HEADER_REASON, reason);
        b.add(DeadLetterPolicy.HEADER_PROCESSOR, processor);
        if (group != null) {
            b.add(DeadLetterPolicy.HEADER_GROUP, group);
        }
        return b.build();
    }

    private String idempotencyId(StreamEvent event) {
        String raw = (group == null ? "" : group) + "|" + event.stream().value() + "|" + event.id();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return "dlq-" + HexFormat.of().formatHex(d, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new StreamException(ErrorKind.INTERNAL, "SHA-256 is not available", e);
        }
    }

    /** The error's class and message, shortened, with unpaired surrogates replaced so the header is valid. */
    static String describe(Throwable error, int maxChars) {
        String s = error == null ? "unknown" : error.toString();
        if (s.length() > maxChars) {
            s = s.substring(0, maxChars - 3) + "...";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
