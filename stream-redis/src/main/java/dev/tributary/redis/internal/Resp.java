package dev.tributary.redis.internal;

import dev.tributary.ErrorKind;
import dev.tributary.StreamException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Typed access to {@link RespOutput} replies; a reply of an unexpected shape is an INTERNAL error. */
final class Resp {
    private Resp() {}

    static StreamException shape(String what, Object reply) {
        String s = String.valueOf(reply instanceof byte[] b ? str(b) : reply);
        if (s.length() > 200) {
            s = s.substring(0, 200) + "...";
        }
        return new StreamException(ErrorKind.INTERNAL, "unexpected reply to " + what + " from Redis: " + s);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply, String what) {
        if (reply == null) {
            return List.of();
        }
        if (reply instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw shape(what, reply);
    }

    static byte[] bytes(Object reply, String what) {
        if (reply instanceof byte[] b) {
            return b;
        }
        throw shape(what, reply);
    }

    static String str(Object reply, String what) {
        if (reply == null) {
            return null;
        }
        if (reply instanceof byte[] b) {
            return str(b);
        }
        if (reply instanceof Long l) {
            return Long.toString(l);
        }
        throw shape(what, reply);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static long num(Object reply, String what) {
        if (reply instanceof Long l) {
            return l;
        }
        if (reply instanceof byte[] b) {
            try {
                return Long.parseLong(str(b));
            } catch (NumberFormatException e) {
                throw shape(what, reply);
            }
        }
        throw shape(what, reply);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
