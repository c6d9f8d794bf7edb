package dev.tributary.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.Capability;
import dev.tributary.StreamClient;
import dev.tributary.StreamClients;
import dev.tributary.cli.CliException;
import dev.tributary.cli.Errors;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's story on the memory backend, without a console: what the result says happened. */
class DemoScenarioTest {
    private static final AtomicInteger STORES = new AtomicInteger();

    private final String uri = "memory:scenario" + STORES.incrementAndGet() + "x"
            + ProcessHandle.current().pid();
    private final List<StreamClient> opened = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeClients() {
        opened.forEach(StreamClient::close);
    }

    private StreamClient open() {
        StreamClient c = StreamClients.open(uri);
        opened.add(c);
        return c;
    }

    private DemoScenario scenario(int events, int rate, DemoScenario.Listener listener) {
        DemoScenario.Settings settings = new DemoScenario.Settings(
                events, rate, 256, Duration.ofMillis(300), Duration.ofMillis(200), "scenario-stream");
        return new DemoScenario(settings, open(), this::open, listener);
    }

    @Test
    void everyAcknowledgedEventReachesTheTailTheGroupAndTheHistoryReader() throws InterruptedException {
        DemoResult r = scenario(600, 600, new DemoScenario.Listener() {}).run(() -> false);

        assertTrue(r.passed(), r::toString);
        assertEquals(0, r.checks().lost(), r::toString);
        assertEquals(600, r.appends().published(), r::toString);
        assertEquals(600, r.appends().acked(), r::toString);
        assertEquals(0, r.appends().failed(), r::toString);
        assertEquals(0, r.checks().tailMissing(), r::toString);
        assertEquals(0, r.checks().groupMissing(), r::toString);
        assertEquals(600, r.history().deliveries(), r::toString);
        assertEquals(2, r.history().pages(), "600 events in pages of 500\n" + r);
        assertTrue(r.group().deliveries() >= 600, r::toString);
        assertEquals(0, r.checks().unknown(), r::toString);
        assertFalse(r.interrupted());
        assertTrue(r.producerFailure().isEmpty(), r::toString);
        assertEquals(0, DemoRun.exitCode(r));
    }

    @Test
    void theTailResumesFromItsCheckpointAndAtMostOneMemberDies() throws InterruptedException {
        DemoResult r = scenario(600, 600, new DemoScenario.Listener() {}).run(() -> false);

        assertTrue(r.tail().disconnectedAt().isPresent(), r::toString);
        assertTrue(r.tail().reconnected(), r::toString);
        assertEquals(3, r.group().members().size(), r::toString);
        long dead = r.group().members().stream().filter(DemoResult.Member::dead).count();
        assertEquals(r.crash().isPresent() ? 1 : 0, dead, r::toString);
        if (r.crash().isPresent()) {
            assertTrue(r.crash().get().contains("died mid-batch"), r::toString);
            assertTrue(r.group().redelivered() > 0, "the dead member's events are redelivered\n" + r);
        }
        assertEquals(
                r.group().deliveries(),
                r.group().members().stream()
                        .mapToLong(DemoResult.Member::deliveries)
                        .sum(),
                r::toString);
        assertTrue(r.notes().isEmpty(), r::toString);
    }

    @Test
    void theListenerHearsTheStoryAndTheProgressItAskedFor() throws InterruptedException {
        List<String> story = Collections.synchronizedList(new ArrayList<>());
        List<DemoProgress> progress = Collections.synchronizedList(new ArrayList<>());
        DemoScenario.Listener listener = new DemoScenario.Listener() {
            @Override
            public Duration progressInterval() {
                return Duration.ofMillis(100);
            }

            @Override
            public void narrate(double elapsedSeconds, String text) {
                story.add(text);
            }

            @Override
            public void progress(DemoProgress p) {
                progress.add(p);
            }
        };
        DemoResult r = scenario(400, 400, listener).run(() -> false);

        assertTrue(story.stream().anyMatch(s -> s.startsWith("live tail disconnected")), story::toString);
        assertTrue(story.stream().anyMatch(s -> s.startsWith("live tail reconnected")), story::toString);
        assertTrue(
                story.stream().anyMatch(s -> s.startsWith("history reader paged the whole range: 400 events")),
                story::toString);
        assertTrue(progress.size() >= 2, "progress every 100 ms and once at the end: " + progress);
        DemoProgress last = progress.get(progress.size() - 1);
        assertEquals(400, last.acked(), last::toString);
        assertEquals(400, last.events());
        assertEquals(3, last.members().size());
        assertEquals(0, r.checks().lost(), r::toString);
    }

    @Test
    void ctrlCStopsPublishingAndTheResultSaysInterrupted() throws InterruptedException {
        DemoResult r = scenario(10_000, 100, new DemoScenario.Listener() {}).run(() -> true);

        assertTrue(r.interrupted(), r::toString);
        assertTrue(r.appends().published() < 10_000, r::toString);
        assertEquals(Errors.INTERRUPTED, DemoRun.exitCode(r));
    }

    @Test
    void aBackendWithoutConsumerGroupsIsRejectedBeforeAnythingRuns() {
        StreamClient noGroups = (StreamClient) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {StreamClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "backend" -> "flat";
                    case "capabilities" -> Set.<Capability>of();
                    case "supports" -> false;
                    default -> throw new AssertionError("the scenario must not call " + method.getName());
                });
        DemoScenario.Settings settings =
                new DemoScenario.Settings(100, 0, 256, Duration.ofSeconds(1), Duration.ofSeconds(1), "s");
        CliException e = assertThrows(
                CliException.class,
                () -> new DemoScenario(settings, noGroups, () -> noGroups, new DemoScenario.Listener() {}));
        assertTrue(e.getMessage().contains("consumer groups") && e.getMessage().contains("'flat'"), e::getMessage);
    }

    @Test
    void settingsRejectWhatCannotRun() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new DemoScenario.Settings(0, 10, 256, Duration.ofSeconds(1), Duration.ofSeconds(1), "s"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new DemoScenario.Settings(10, -1, 256, Duration.ofSeconds(1), Duration.ofSeconds(1), "s"));
        assertThrows(
                NullPointerException.class,
                () -> new DemoScenario.Settings(10, 10, 256, null, Duration.ofSeconds(1), "s"));
    }
}
