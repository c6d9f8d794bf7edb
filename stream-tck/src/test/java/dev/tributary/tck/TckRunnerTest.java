package dev.tributary.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TckRunnerTest {

    @Test
    void printsTheRuleTableForMemoryWithNoFailure() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TckReport report;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            report = TckRunner.run("memory:", out);
        }
        String table = buf.toString(StandardCharsets.UTF_8);
        System.out.println(table);
        assertEquals(0, report.failed(), table);
        Set<String> ids = report.results().stream()
                .filter(r -> r.kit().equals("UriTck"))
                .map(TckReport.RuleResult::ruleId)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> contract = new TreeSet<>(KitRulesTest.specRuleIds("LAPHGEFK"));
        contract.removeAll(KitRulesTest.NOT_YET_IN_KIT);
        contract.remove("F11"); // the randomized fault run drives processors: it is in the processor kit
        assertEquals(contract, ids, "one row per contract rule");
        Set<String> processorIds = report.results().stream()
                .filter(r -> r.kit().equals("UriProcessorTck"))
                .map(TckReport.RuleResult::ruleId)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> processor = new TreeSet<>(KitRulesTest.specRuleIds("C"));
        processor.add("F11");
        processor.addAll(KitRulesTest.IN_BOTH_KITS);
        processor.removeAll(KitRulesTest.NOT_YET_IN_KIT);
        assertEquals(
                processor,
                processorIds,
                "the processor kit runs too, one row per C rule, F11 and the rules " + "of both kits "
                        + KitRulesTest.IN_BOTH_KITS);
        assertTrue(table.contains("Tributary TCK against memory:tck-"), table);
        assertTrue(table.matches("(?s).*\\nA4\\s+required\\s+passed\\s+A4 .*"), table);
        assertTrue(table.matches("(?s).*\\nF1\\s+required\\s+skipped\\s+F1 .*"), table);
        assertTrue(table.contains("offers no broker control"), table);
        assertTrue(table.contains("Totals: "), table);
        assertTrue(report.passed() >= 40, table);
    }
}
