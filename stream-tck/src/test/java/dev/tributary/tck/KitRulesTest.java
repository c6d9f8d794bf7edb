package dev.tributary.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.tck.internal.RuleNames;
import dev.tributary.tck.processor.ProcessorTck;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The kit implements every rule of TCK-RULES.md (a copy is a test resource) exactly once, named by the conventions. */
class KitRulesTest {
    private static final Pattern SPEC_RULE = Pattern.compile("^- ([A-Z][0-9]+) (.*)$", Pattern.MULTILINE);

    /** Rule ids of the given families, as listed in the spec. */
    static Set<String> specRuleIds(String families) {
        Set<String> ids = new TreeSet<>();
        Matcher m = SPEC_RULE.matcher(spec());
        while (m.find()) {
            if (families.indexOf(m.group(1).charAt(0)) >= 0) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    static String spec() {
        try (InputStream in = KitRulesTest.class.getResourceAsStream("/TCK-RULES.md")) {
            assertNotNull(in, "TCK-RULES.md test resource");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyContractRuleOfTheSpecIsImplementedExactlyOnce() {
        List<String> found = new ArrayList<>();
        List<Class<?>> nestedClasses = new ArrayList<>(List.of(StreamClientTck.class.getDeclaredClasses()));
        nestedClasses.addAll(List.of(ProcessorTck.class.getDeclaredClasses()));
        for (Class<?> nested : nestedClasses) {
            assertTrue(nested.isAnnotationPresent(Nested.class), nested + " is @Nested");
            assertNotNull(nested.getAnnotation(DisplayName.class), nested + " has a display name");
            for (Method m : nested.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Test.class)) {
                    continue;
                }
                RuleNames.Rule rule = RuleNames.parse(m.getName())
                        .orElseThrow(() ->
                                new AssertionError(m.getName() + " does not follow required_X9_… / optional_X9_…"));
                found.add(rule.id());
                DisplayName dn = m.getAnnotation(DisplayName.class);
                assertNotNull(dn, m.getName() + " has a display name");
                assertTrue(
                        dn.value().startsWith(rule.id() + " "), m.getName() + ": display name starts with the rule id");
                assertNotNull(m.getAnnotation(RuleHint.class), m.getName() + " has a hint");
            }
        }
        Set<String> unique = new TreeSet<>(found);
        assertEquals(
                found.size(),
                unique.size() + IN_BOTH_KITS.size(),
                "no rule twice, except those the spec " + "states for clients and processors alike (" + IN_BOTH_KITS
                        + "), once in each kit: " + found);
        for (String id : IN_BOTH_KITS) {
            assertEquals(2, found.stream().filter(id::equals).count(), id + " is in each kit once");
        }
        Set<String> expected = new TreeSet<>(specRuleIds("LAPHGEFCK"));
        assertTrue(expected.containsAll(NOT_YET_IN_KIT), "every pending rule is in the spec: " + NOT_YET_IN_KIT);
        expected.removeAll(NOT_YET_IN_KIT);
        assertEquals(
                expected,
                unique,
                "the contract and processor kits' rules are exactly the spec's L, A, P, H, G, "
                        + "E, F, C, K rules less the ones listed as not yet in the kit (a rule added to the kit leaves that list)");
        assertEquals(56 + 28, unique.size(), "the 56 first-wave rules and the 28 of the second wave");
    }

    /**
     * Rules whose spec names readers and groups and processors alike: the contract kit runs the
     * client half, the processor kit the processor half, under the same id.
     */
    static final Set<String> IN_BOTH_KITS = Set.of("F7");

    /** Second-wave contract rules of TCK-RULES.md that the kit does not run yet: named, never passed silently. */
    static final Set<String> NOT_YET_IN_KIT = Set.of();

    @Test
    void capabilityGatedRulesAreOptionalAndTheRestRequired() {
        Set<String> optional = new TreeSet<>();
        for (Class<?> nested : StreamClientTck.class.getDeclaredClasses()) {
            for (Method m : nested.getDeclaredMethods()) {
                RuleNames.parse(m.getName())
                        .filter(r -> r.strength().equals("optional"))
                        .ifPresent(r -> optional.add(r.id()));
            }
        }
        Set<String> expected = new TreeSet<>(Set.of("A9", "A13", "P5", "H5", "H6", "H8"));
        expected.addAll(specRuleIds("GK"));
        expected.removeAll(NOT_YET_IN_KIT);
        assertEquals(expected, optional, "optional = gated by a capability in TCK-RULES.md");
    }
}
