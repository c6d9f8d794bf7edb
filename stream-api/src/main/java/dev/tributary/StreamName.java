package dev.tributary;

/**
 * A portable stream name: 1 to {@value #MAX_LENGTH} characters, each an ASCII letter, digit,
 * {@code _} or {@code -}. The grammar is the intersection of what Redis keys, Kafka topics and
 * JetStream stream names and subjects accept, so a valid name is valid on every backend: it excludes
 * {@code .}, {@code *}, {@code >}, whitespace, {@code /}, NUL and non-ASCII by construction.
 * A backend maps the name to its own object with a configurable namespace prefix.
 *
 * <p>Validation happens in the constructor, before any I/O; a bad name fails with
 * {@link ErrorKind#INVALID_ARGUMENT} naming the offending character.
 */
public record StreamName(String value) implements Comparable<StreamName> {
    /** The longest accepted name (Kafka topic names stop at 249 including the namespace prefix). */
    public static final int MAX_LENGTH = 200;

    public StreamName {
        check(value, "stream name");
    }

    /** Parses and validates a stream name. */
    public static StreamName of(String value) {
        return new StreamName(value);
    }

    /** True when {@code value} is a valid stream name. */
    public static boolean isValid(String value) {
        try {
            check(value, "name");
            return true;
        } catch (StreamException e) {
            return false;
        }
    }

    /**
     * Validates a name of the same grammar (stream, group and member names share it).
     *
     * @throws StreamException {@link ErrorKind#INVALID_ARGUMENT} with the reason
     */
    public static String check(String value, String what) {
        if (value == null) {
            throw StreamException.invalid(what + " must not be null");
        }
        if (value.isEmpty()) {
            throw StreamException.invalid(what + " must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw StreamException.invalid(
                    what + " is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                throw StreamException.invalid(what + " '" + printable(value) + "' has the character "
                        + describe(c) + " at index " + i
                        + "; only ASCII letters, digits, '_' and '-' are allowed");
            }
        }
        return value;
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(s.length(), 64);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > n) {
            b.append("...");
        }
        return b.toString();
    }

    @Override
    public int compareTo(StreamName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
