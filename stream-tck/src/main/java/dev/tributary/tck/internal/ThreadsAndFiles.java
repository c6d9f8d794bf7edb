package dev.tributary.tck.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Counts the JVM's live threads and open file descriptors for the leak rules (L4, L5). */
public final class ThreadsAndFiles {
    /** Threads the JVM or the kit start lazily on their own; never charged to a backend. */
    private static final List<String> IGNORED_PREFIXES = List.of(
            "ForkJoinPool.commonPool-worker",
            "tributary-tck-",
            "Attach Listener",
            "process reaper",
            "Common-Cleaner",
            "surefire-forkedjvm",
            "JFR ",
            "Notification Thread",
            "Signal Dispatcher",
            "Reference Handler",
            "Finalizer");

    private ThreadsAndFiles() {}

    /** Live threads, without those the JVM and the kit start on their own. */
    public static Set<Thread> threads() {
        Set<Thread> all = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        all.removeIf(t -> !t.isAlive() || ignored(t));
        return all;
    }

    static boolean ignored(Thread t) {
        String n = t.getName();
        for (String p : IGNORED_PREFIXES) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Threads alive now that were not in {@code baseline}. */
    public static List<Thread> newThreads(Set<Thread> baseline) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : threads()) {
            if (!baseline.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    public static String describe(List<Thread> threads) {
        List<String> names = new ArrayList<>();
        for (Thread t : threads) {
            names.add("'" + t.getName() + "' (" + t.getState() + (t.isDaemon() ? ", daemon" : "") + ")");
        }
        return String.join(", ", names);
    }

    /** The number of open file descriptors of this process, or -1 where /proc/self/fd is not available. */
    public static int openFiles() {
        Path fd = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fd)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fd)) {
            return (int) s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
