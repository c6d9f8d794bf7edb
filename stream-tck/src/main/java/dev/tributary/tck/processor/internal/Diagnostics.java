package dev.tributary.tck.processor.internal;

import dev.tributary.StreamClient;
import dev.tributary.StreamName;
import dev.tributary.core.Processor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a failing processor rule prints about the processors it ran, so that a stall seen once under
 * load can be told apart from a failure afterwards: each processor's state, circuit and failure, and
 * the stack of every live thread whose name carries the processor's name (its loop and workers).
 */
final class Diagnostics {
    private static final int FRAMES = 25;

    private Diagnostics() {}

    /** The group's figures as the broker reports them, or why they could not be read. */
    static String group(StreamClient client, StreamName stream, String group) {
        try {
            return "the broker's view of group '" + group + "': " + client.groupInfo(stream, group);
        } catch (RuntimeException e) {
            return "the group's figures could not be read: " + e;
        }
    }

    static String processors(List<Processor> processors) {
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        StringBuilder out = new StringBuilder();
        for (Processor p : processors) {
            out.append("\n  processor '")
                    .append(p.name())
                    .append("': ")
                    .append(p.state())
                    .append(", circuit ")
                    .append(p.circuitState())
                    .append(p.failure().map(f -> ", failed: " + f).orElse(""));
            stacks.forEach((thread, frames) -> {
                if (thread.getName().contains(p.name())) {
                    out.append("\n    thread ")
                            .append(thread.getName())
                            .append(" (")
                            .append(thread.getState())
                            .append(")")
                            .append(Arrays.stream(frames)
                                    .limit(FRAMES)
                                    .map(f -> "\n      at " + f)
                                    .collect(Collectors.joining()));
                }
            });
        }
        return out.toString();
    }
}
