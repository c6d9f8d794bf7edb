package dev.tributary.nats.internal;

/**
 * NATS subject grammar and matching, for the subjects and filters of adopted streams.
 *
 * <p>A subject is tokens separated by {@code .}; no token is empty or holds whitespace or control
 * characters. In a <em>filter</em>, a token {@code *} matches one token and a last token {@code >}
 * matches one or more; a <em>literal</em> subject has neither.
 */
final class Subjects {
    /** Longest subject or filter accepted in an option. */
    static final int MAX_LENGTH = 1024;

    private Subjects() {}

    /** Why {@code s} is not a valid subject or filter, or null when it is. */
    static String problem(String s) {
        if (s == null || s.isEmpty()) {
            return "is empty";
        }
        if (s.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        String[] tokens = s.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty()) {
                return "has an empty token (two dots, or a dot at an end)";
            }
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                    return "holds whitespace or a control character";
                }
            }
            if (t.length() > 1 && (t.contains("*") || t.contains(">"))) {
                return "uses a wildcard inside a token ('" + t + "'); * and > must be whole tokens";
            }
            if (t.equals(">") && i != tokens.length - 1) {
                return "has > before its last token";
            }
        }
        return null;
    }

    /** True when {@code s} (valid) has no wildcard token. */
    static boolean isLiteral(String s) {
        for (String t : s.split("\\.", -1)) {
            if (t.equals("*") || t.equals(">")) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when every subject {@code subject} can stand for (a literal, or a filter) is matched by
     * {@code pattern}: {@code orders.>} covers {@code orders.created} and {@code orders.*.eu}.
     */
    static boolean covers(String pattern, String subject) {
        String[] p = pattern.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return s.length > i;
            }
            if (i >= s.length || s[i].equals(">")) {
                return false;
            }
            if (!p[i].equals("*") && (s[i].equals("*") || !p[i].equals(s[i]))) {
                return false;
            }
        }
        return p.length == s.length;
    }

    /** True when some subject is matched by both {@code a} and {@code b}. */
    static boolean overlap(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (x[i].equals(">") || y[i].equals(">")) {
                return true;
            }
            if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
                return false;
            }
        }
        // the shorter one matches exactly n tokens, the longer one (even with a > next) more than n
        return x.length == y.length;
    }
}
