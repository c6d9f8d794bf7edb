package dev.tributary.tck.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the rule id and strength out of a kit method name ({@code required_A4_…}, {@code optional_G3_…}). */
public final class RuleNames {
    private static final Pattern RULE = Pattern.compile("^(required|optional)_([A-Z][0-9]+)_(\\w+)$");

    private RuleNames() {}

    /** A rule's identity as written in its method name. */
    public record Rule(String id, String strength, String behaviour) {
        /** Sort key: family letter, then number (A2 before A10). */
        public String sortKey() {
            return id.charAt(0) + String.format("%03d", Integer.parseInt(id.substring(1)));
        }
    }

    /** The rule a method name carries, if it follows the naming scheme. */
    public static Optional<Rule> parse(String methodName) {
        Matcher m = RULE.matcher(methodName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Rule(m.group(2), m.group(1), m.group(3)));
    }
}
