package dev.tributary.nats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "orders.>, orders.created, true",
        "orders.>, orders.created.eu, true",
        "orders.>, orders.*, true",
        "orders.>, orders.>, true",
        "orders.*, orders.created, true",
        "orders.*, orders.*, true",
        "orders.created, orders.created, true",
        "orders.>, orders, false",
        "orders.*, orders.>, false",
        "orders.*, orders.a.b, false",
        "orders.created, orders.*, false",
        "orders.created, orders.updated, false",
        "orders.created, orders.created.eu, false"
    })
    void coversMatchesEverySubjectTheOtherStandsFor(String filter, String other, boolean covers) {
        assertEquals(covers, Subjects.covers(filter, other));
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource({
        "orders.>, orders.created, true",
        "orders.created, orders.>, true",
        "orders.*, *.created, true",
        ">, a.b, true",
        "a.b, a.b, true",
        "orders.*, orders.a.b, false",
        "orders.>, orders, false",
        "orders.created, orders.updated, false",
        "a.b, a.b.c, false"
    })
    void overlapFindsACommonSubject(String a, String b, boolean overlap) {
        assertEquals(overlap, Subjects.overlap(a, b));
    }
}
