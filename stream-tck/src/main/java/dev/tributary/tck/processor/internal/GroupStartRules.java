package dev.tributary.tck.processor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.Capability;
import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamClient;
import dev.tributary.StreamException;
import dev.tributary.StreamName;
import dev.tributary.core.Processor;
import dev.tributary.core.ProcessorState;
import dev.tributary.tck.Tck;
import dev.tributary.tck.internal.Expect;
import dev.tributary.tck.internal.Gate;
import dev.tributary.tck.internal.Io;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rule C10: three group processors created on a stream that already holds 6 events, asked to start
 * at earliest, at latest and after the third event. Once each has created its group, 3 more events
 * are appended. Each must handle exactly the events after its start: all 9, the 3 new ones, and the
 * last 3 old ones plus the 3 new ones.
 */
public final class GroupStartRules {
    private static final int OLD = 6;
    private static final int NEW = 3;

    private final ProcessorKit kit;

    /** The rule bodies over {@code kit}. */
    public GroupStartRules(ProcessorKit kit) {
        this.kit = kit;
    }

    /** C10. */
    public void c10() {
        StreamClient client = kit.client();
        StreamName s = kit.created(client, "c10");
        Gate.require(
                client,
                Capability.CONSUMER_GROUPS,
                () -> client.createGroup(s, Tck.name("g"), GroupOptions.defaults()));
        List<EventId> old = Io.append(client, s, "old", OLD);
        Map<String, Position> starts = new LinkedHashMap<>();
        starts.put("earliest", Position.earliest());
        starts.put("latest", Position.latest());
        starts.put("after(" + old.get(2) + ")", Position.after(old.get(2)));
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("earliest", keys(0, OLD));
        expected.put("latest", keys(OLD, OLD));
        expected.put("after(" + old.get(2) + ")", keys(3, OLD));

        Map<String, Set<String>> handled = new ConcurrentHashMap<>();
        Map<String, Processor> processors = new LinkedHashMap<>();
        Map<String, String> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Position> e : starts.entrySet()) {
            String label = e.getKey();
            String group = Tck.name("c10");
            Set<String> got = ConcurrentHashMap.newKeySet();
            handled.put(label, got);
            groups.put(label, group);
            Processor p = kit.track(kit.processors()
                    .group(
                            client,
                            s,
                            group,
                            GroupOptions.defaults().withStart(e.getValue()),
                            1,
                            m -> got.add(Io.keyOf(m.event()))));
            processors.put(label, p);
            p.start();
        }
        for (String label : starts.keySet()) {
            Processor p = processors.get(label);
            Expect.eventually(
                    Tck.scaled(Duration.ofSeconds(30)),
                    () -> "the group processor started at " + label + " created its group " + groups.get(label) + " ("
                            + p.state() + " " + p.failure().orElse(null) + ")",
                    () -> exists(client, s, groups.get(label)) || p.state() == ProcessorState.FAILED);
        }
        Io.append(client, s, "new", NEW);
        Expect.eventually(
                Tck.scaled(Duration.ofSeconds(30)),
                () -> "each group processor handled the events after " + "its start: " + handled + "; expected "
                        + expected + "; " + processors.values(),
                () -> processors.values().stream().anyMatch(p -> p.state() == ProcessorState.FAILED)
                        || expected.keySet().stream()
                                .allMatch(l -> handled.get(l).containsAll(expected.get(l))));
        Tck.sleep(Duration.ofMillis(300)); // room for an event that should not come
        List<String> wrong = new ArrayList<>();
        for (String label : starts.keySet()) {
            Processor p = processors.get(label);
            assertEquals(
                    ProcessorState.RUNNING,
                    p.state(),
                    "the group processor started at " + label + " runs: "
                            + p.failure().orElse(null));
            Set<String> got = new TreeSet<>(handled.get(label));
            if (!got.equals(new TreeSet<>(expected.get(label)))) {
                wrong.add("started at " + label + " it handled " + got + ", expected exactly "
                        + new TreeSet<>(expected.get(label)));
            }
        }
        assertEquals(
                List.of(),
                wrong,
                "group processors created on a non-empty stream must start where they were "
                        + "asked; likely cause: if G11 passes, the processor does not hand its start position to createGroup "
                        + "(or creates the group with defaults), else the backend's createGroup ignores the start position");
    }

    private static boolean exists(StreamClient client, StreamName s, String group) {
        try {
            client.groupInfo(s, group);
            return true;
        } catch (StreamException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** old/from … old/{OLD-1} and new/0 … new/{NEW-1}. */
    private static Set<String> keys(int from, int oldCount) {
        Set<String> out = new TreeSet<>();
        for (int i = from; i < oldCount; i++) {
            out.add("old/" + i);
        }
        for (int i = 0; i < NEW; i++) {
            out.add("new/" + i);
        }
        return out;
    }
}
