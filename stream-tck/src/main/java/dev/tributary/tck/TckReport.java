package dev.tributary.tck;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outcome of a kit run, one row per rule: the table {@link TckRunner} prints.
 *
 * @param target  what the kit ran against (a safe URI, or a description)
 * @param results one row per rule test, in rule order
 */
public record TckReport(String target, List<RuleResult> results) {
    /** Families in the order of TCK-RULES.md. */
    private static final String FAMILY_ORDER = "LAPHGEFC";

    /** The outcome of one rule. */
    public enum Status {
        /** The rule ran and held. */
        PASSED,
        /** The rule ran and did not hold. */
        FAILED,
        /** The rule did not run (a capability off, or a fixture that cannot drive it), with the reason. */
        SKIPPED
    }

    /**
     * One row.
     *
     * @param kit         the kit class the rule belongs to (e.g. {@code StreamClientTck})
     * @param ruleId      the rule id ({@code A4}), or the test name when it carries none
     * @param strength    {@code required} or {@code optional} ({@code -} when unknown)
     * @param displayName the rule's display name
     * @param status      passed, failed or skipped
     * @param reason      why it failed or was skipped (first lines of the message), empty when passed
     */
    public record RuleResult(
            String kit, String ruleId, String strength, String displayName, Status status, String reason) {}

    public TckReport {
        results = List.copyOf(results);
    }

    /** How many tests passed. */
    public long passed() {
        return count(Status.PASSED);
    }

    /** How many tests failed. */
    public long failed() {
        return count(Status.FAILED);
    }

    /** How many tests were skipped. */
    public long skipped() {
        return count(Status.SKIPPED);
    }

    private long count(Status s) {
        return results.stream().filter(r -> r.status() == s).count();
    }

    /** The ids of the rules that failed. */
    public Set<String> failedRules() {
        Set<String> ids = new TreeSet<>();
        for (RuleResult r : results) {
            if (r.status() == Status.FAILED) {
                ids.add(r.ruleId());
            }
        }
        return ids;
    }

    /** The row of a rule, if it ran. */
    public java.util.Optional<RuleResult> rule(String id) {
        return results.stream().filter(r -> r.ruleId().equals(id)).findFirst();
    }

    /** Prints the per-rule table and the totals. */
    public void print(PrintStream out) {
        out.println("Tributary TCK against " + target + " (timeout scale " + Tck.timeoutScale() + ")");
        String fmt = "%-5s %-9s %-8s %s%n";
        out.printf(Locale.ROOT, fmt, "RULE", "STRENGTH", "RESULT", "RULE / REASON");
        List<RuleResult> rows = new ArrayList<>(results);
        rows.sort(Comparator.comparing(TckReport::sortKey));
        for (RuleResult r : rows) {
            out.printf(
                    Locale.ROOT,
                    fmt,
                    r.ruleId(),
                    r.strength(),
                    r.status().name().toLowerCase(Locale.ROOT),
                    r.displayName());
            if (!r.reason().isEmpty()) {
                for (String line : r.reason().split("\n")) {
                    out.printf(Locale.ROOT, fmt, "", "", "", "  " + line.strip());
                }
            }
        }
        long requiredFailed = results.stream()
                .filter(r -> r.status() == Status.FAILED && r.strength().equals("required"))
                .count();
        out.printf(
                Locale.ROOT,
                "Totals: %d rules — %d passed, %d failed (%d required), %d skipped%n",
                results.size(),
                passed(),
                failed(),
                requiredFailed,
                skipped());
    }

    private static String sortKey(RuleResult r) {
        String id = r.ruleId();
        if (id.length() >= 2
                && Character.isLetter(id.charAt(0))
                && id.substring(1).chars().allMatch(Character::isDigit)) {
            int family = FAMILY_ORDER.indexOf(id.charAt(0));
            return (char) ('a' + (family < 0 ? 25 : family)) + String.format("%04d", Integer.parseInt(id.substring(1)))
                    + ":" + r.kit();
        }
        return "~" + r.kit() + ":" + id;
    }
}
