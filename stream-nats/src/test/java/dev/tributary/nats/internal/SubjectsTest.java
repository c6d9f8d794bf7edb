package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SubjectsTest {

    @Test
    void validSubjectsAndFiltersHaveNoProblem() {
        for (String s : new String[] {
            "orders", "orders.created", "orders.>", "orders.*.eu", "*", ">", "a.b.c.d", "orders:v1", "ordres-ü"
        }) {
            assertNull(Subjects.problem(s), s);
        }
    }

    @Test
    void badSubjectsAreNamed() {
        for (String s : new String[] {
            "",
            ".",
            "a..b",
            ".a",
            "a.",
            "a b",
            "a.>.b",
            "a.b*",
            "a.>x",
            "tab\there",
            "x".repeat(Subjects.MAX_LENGTH + 1)
        }) {
            assertNotNull(Subjects.problem(s), s);
        }
    }

    @Test
    void literalMeansNoWildcardToken() {
        assertTrue(Subjects.isLiteral("orders.created"));
        assertFalse(Subjects.isLiteral("orders.>"));
        assertFalse(Subjects.isLiteral("orders.*.eu"));
    }

    @Test
    void coversMatchesEverySubjectTheOtherStandsFor() {
        assertTrue(Subjects.covers("orders.>", "orders.created"));
        assertTrue(Subjects.covers("orders.>", "orders.created.eu"));
        assertTrue(Subjects.covers("orders.>", "orders.*"));
        assertTrue(Subjects.covers("orders.>", "orders.>"));
        assertTrue(Subjects.covers("orders.*", "orders.created"));
        assertTrue(Subjects.covers("orders.*", "orders.*"));
        assertTrue(Subjects.covers("orders.created", "orders.created"));
        assertFalse(Subjects.covers("orders.>", "orders"));
        assertFalse(Subjects.covers("orders.*", "orders.>"));
        assertFalse(Subjects.covers("orders.*", "orders.a.b"));
        assertFalse(Subjects.covers("orders.created", "orders.*"));
        assertFalse(Subjects.covers("orders.created", "orders.updated"));
        assertFalse(Subjects.covers("orders.created", "orders.created.eu"));
    }

    @Test
    void overlapFindsACommonSubject() {
        assertTrue(Subjects.overlap("orders.>", "orders.created"));
        assertTrue(Subjects.overlap("orders.created", "orders.>"));
        assertTrue(Subjects.overlap("orders.*", "*.created"));
        assertTrue(Subjects.overlap(">", "a.b"));
        assertTrue(Subjects.overlap("a.b", "a.b"));
        assertFalse(Subjects.overlap("orders.*", "orders.a.b"));
        assertFalse(Subjects.overlap("orders.>", "orders"));
        assertFalse(Subjects.overlap("orders.created", "orders.updated"));
        assertFalse(Subjects.overlap("a.b", "a.b.c"));
    }
}
