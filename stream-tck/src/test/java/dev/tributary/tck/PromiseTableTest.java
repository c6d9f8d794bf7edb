package dev.tributary.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.GroupConsumer;
import dev.tributary.StreamClient;
import dev.tributary.StreamReader;
import dev.tributary.tck.cluster.ClusterTck;
import dev.tributary.tck.internal.RuleNames;
import dev.tributary.tck.processor.ProcessorTck;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The README's "Promise table" maps every promise of the javadoc of {@link StreamClient},
 * {@link StreamReader} and {@link GroupConsumer} to the kit rules that catch it: every public method
 * has a row, and every rule a row names is a test of the kit ("none yet" where no rule does).
 */
class PromiseTableTest {
    private static final String HEADING = "## Promise table";
    private static final String NONE_YET = "none yet";
    private static final Pattern METHOD_CELL =
            Pattern.compile("^`(StreamClient|StreamReader|GroupConsumer)\\.(\\w+)`$");
    private static final Pattern RULE_ID = Pattern.compile("^[A-Z][0-9]+$");

    /** One row of the table: the method it names and the rule ids (empty for "none yet"). */
    record Row(String type, String method, String promise, List<String> rules, String line) {}

    /** The module's README: surefire runs in the module directory; from the repository root, one level down. */
    static Path readme() {
        for (Path p : List.of(Path.of("README.md"), Path.of("stream-tck", "README.md"))) {
            if (Files.isRegularFile(p)
                    && p.toAbsolutePath().normalize().getParent().endsWith("stream-tck")) {
                return p;
            }
        }
        throw new AssertionError(
                "stream-tck/README.md not found from " + Path.of("").toAbsolutePath());
    }

    /** The lines of the "Promise table" section, up to the next heading of the same level. */
    static List<String> section() {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        int start = lines.indexOf(HEADING);
        assertTrue(start >= 0, "README.md has a section '" + HEADING + "'");
        List<String> out = new ArrayList<>();
        for (String l : lines.subList(start + 1, lines.size())) {
            if (l.startsWith("## ")) {
                break;
            }
            out.add(l);
        }
        return out;
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        boolean header = true;
        for (String l : section()) {
            if (!l.startsWith("|")) {
                continue;
            }
            if (header) { // "| method | promise | rules |", then the "|---|" line
                assertTrue(l.replace(" ", "").equals("|method|promise|rules|"), "table header: " + l);
                header = false;
                continue;
            }
            if (l.replace(" ", "").matches("\\|(-+\\|)+")) {
                continue;
            }
            assertTrue(l.endsWith("|"), "row ends with '|': " + l);
            String[] cells = l.substring(1, l.length() - 1).split("\\|", -1);
            assertEquals(3, cells.length, "three cells (no '|' inside a cell): " + l);
            Matcher m = METHOD_CELL.matcher(cells[0].trim());
            assertTrue(m.matches(), "first cell names `Interface.method`: " + l);
            String promise = cells[1].trim();
            assertFalse(promise.isEmpty(), "a row states its promise: " + l);
            String ruleCell = cells[2].trim();
            List<String> rules = new ArrayList<>();
            if (!ruleCell.equals(NONE_YET)) {
                for (String id : ruleCell.split(",")) {
                    String t = id.trim();
                    assertTrue(
                            RULE_ID.matcher(t).matches(),
                            "rule cell is '" + NONE_YET + "' or rule ids separated by" + " commas; '" + t
                                    + "' is neither: " + l);
                    rules.add(t);
                }
            }
            rows.add(new Row(m.group(1), m.group(2), promise, rules, l));
        }
        assertFalse(rows.isEmpty(), "the promise table has rows");
        return rows;
    }

    /** Public methods of the interface, Object's excluded, overloads once by name, as "Type.name". */
    static Set<String> publicMethods(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class || m.isSynthetic() || !Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            try {
                Object.class.getMethod(m.getName(), m.getParameterTypes());
                continue; // an Object method redeclared by the interface
            } catch (NoSuchMethodException notObjects) {
                names.add(type.getSimpleName() + "." + m.getName());
            }
        }
        return names;
    }

    /** Rule ids of the kits' test methods, by reflection over their @Nested classes. */
    static Set<String> kitRuleIds() {
        Set<String> ids = new TreeSet<>();
        for (Class<?> kit : List.of(StreamClientTck.class, ProcessorTck.class, ClusterTck.class)) {
            for (Class<?> nested : kit.getDeclaredClasses()) {
                if (!nested.isAnnotationPresent(Nested.class)) {
                    continue;
                }
                for (Method m : nested.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(Test.class)) {
                        RuleNames.parse(m.getName()).ifPresent(r -> ids.add(r.id()));
                    }
                }
            }
        }
        return ids;
    }

    @Test
    void everyPublicMethodOfTheThreeInterfacesHasARow() {
        Set<String> named = new TreeSet<>();
        for (Row r : rows()) {
            named.add(r.type() + "." + r.method());
        }
        Set<String> methods = new TreeSet<>();
        for (Class<?> type : List.of(StreamClient.class, StreamReader.class, GroupConsumer.class)) {
            methods.addAll(publicMethods(type));
        }
        assertTrue(
                methods.contains("StreamClient.appendAsync") && methods.contains("StreamReader.close"),
                "reflection finds the interfaces' methods, inherited close() included: " + methods);
        Set<String> missing = new TreeSet<>(methods);
        missing.removeAll(named);
        assertEquals(Set.of(), missing, "public methods with no row in README.md's " + HEADING);
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(methods);
        assertEquals(Set.of(), unknown, "rows naming a method the interfaces do not have");
    }

    @Test
    void everyRuleARowNamesIsATestOfTheKit() {
        Set<String> kit = kitRuleIds();
        assertTrue(kit.containsAll(Set.of("L1", "A1", "G6", "C1", "R1")), "the kits' rule ids are found: " + kit);
        List<String> bad = new ArrayList<>();
        for (Row r : rows()) {
            for (String id : r.rules()) {
                if (!kit.contains(id)) {
                    bad.add(id + " in: " + r.line());
                }
            }
        }
        assertEquals(
                List.of(), bad, "rows naming a rule id that is no test of StreamClientTck, ProcessorTck or ClusterTck");
    }
}
