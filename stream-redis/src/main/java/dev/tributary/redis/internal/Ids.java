package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.StreamException;

/** Redis entry ids ({@code <ms>-<seq>}) as {@link EventId} pairs. */
public final class Ids {
    /** The id below every entry ({@code 0-0} is never an entry id). */
    public static final EventId ZERO = EventId.of(0, 0);

    private Ids() {}

    /** Parses an id given by an application: the pair form only. */
    public static EventId parse(String text) {
        EventId id = EventId.parse(text);
        if (!id.isPair()) {
            throw StreamException.invalid(
                    "'" + text + "' is a sequence id; Redis ids have the form <ms>-<seq>, e.g. " + "1700000000000-0");
        }
        return id;
    }

    /** Parses an id the server sent. */
    static EventId fromServer(byte[] raw) {
        int dash = -1;
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '-' && dash < 0) {
                dash = i;
            } else if (b >= '0' && b <= '9') {
                if (dash < 0) {
                    ms = ms * 10 + (b - '0');
                } else {
                    seq = seq * 10 + (b - '0');
                }
            } else {
                throw bad(raw);
            }
        }
        if (dash <= 0 || dash == raw.length - 1 || ms < 0 || seq < 0) {
            throw bad(raw);
        }
        return EventId.of(ms, seq);
    }

    private static StreamException bad(byte[] raw) {
        return new StreamException(
                ErrorKind.INTERNAL, "Redis sent an entry id that is not <ms>-<seq>: " + Resp.str(raw));
    }

    /** The wire form of an id. */
    static String wire(EventId id) {
        return id.major() + "-" + id.minor();
    }

    /** True when an id can be sent to Redis (the pair form). */
    static boolean isRedisId(EventId id) {
        return id != null && id.isPair();
    }
}
