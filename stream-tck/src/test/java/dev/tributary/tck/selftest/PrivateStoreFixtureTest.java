package dev.tributary.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ClientConfig;
import dev.tributary.tck.BrokerFixture;
import dev.tributary.tck.StreamClientTck;
import dev.tributary.tck.TckReport;
import dev.tributary.tck.TckRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A third party's first fixture is often {@code memory:}, which gives every client a private store.
 * The kit must say so, not fail the group rules with {@code NOT_FOUND} hints that blame the backend.
 */
class PrivateStoreFixtureTest {

    /** The contract kit on a fixture whose every client opens its own private memory store. */
    static class PrivateStores extends StreamClientTck {
        private static final BrokerFixture FIXTURE = new BrokerFixture() {
            private final ClientConfig config = ClientConfig.parse("memory:");

            @Override
            public ClientConfig config() {
                return config;
            }

            @Override
            public String describe() {
                return "memory: (a private store per client)";
            }
        };

        @Override
        protected BrokerFixture fixture() {
            return FIXTURE;
        }
    }

    @Test
    void aFixtureWhoseClientsDoNotShareAStoreFailsWithAHintThatSaysSo() {
        for (String rule : List.of("G5", "G7")) {
            TckReport report = TckRunner.run(
                    List.of(PrivateStores.class), "memory: fixture", ".*#(required|optional)_" + rule + "_.*");
            report.print(System.out);
            assertEquals(List.of(rule), List.copyOf(report.failedRules()), "the rule that needs two clients fails");
            String reason = report.rule(rule).orElseThrow().reason();
            assertTrue(
                    reason.contains("do not share one store") && reason.contains("memory:NAME"),
                    "the failure says that the fixture's clients do not share a store, and what to use: " + reason);
            assertTrue(!reason.contains("NOT_FOUND"), "no NOT_FOUND that blames the backend: " + reason);
            assertTrue(reason.contains("this is not about the backend"), "the hint points at the fixture: " + reason);
        }
    }
}
