package dev.tributary.spi;

import dev.tributary.StreamEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The documented interleaving of a partitioned stream's reads: each partition's order kept, across
 * partitions by broker timestamp, then partition. A backend reads up to {@code max} events from each
 * partition, in order, and keeps the first {@code max} of their interleaving: what it returns of each
 * partition is then a prefix of what it read there, so a cursor advanced past the returned events
 * loses and repeats nothing.
 */
public final class Interleaving {
    private static final Comparator<StreamEvent> ORDER =
            Comparator.comparing(StreamEvent::timestamp).thenComparingInt(StreamEvent::partition);

    private Interleaving() {}

    /**
     * The first {@code max} events of the partitions' reads, interleaved.
     *
     * @param perPartition each partition's events in the partition's order (any may be empty)
     * @param max          how many to keep, at least 1
     */
    public static List<StreamEvent> first(List<List<StreamEvent>> perPartition, int max) {
        int total = 0;
        for (List<StreamEvent> p : perPartition) {
            total += p.size();
        }
        // A k-way merge of the partitions' heads: a partition whose timestamps are not monotonic
        // (another producer's clock) still keeps its own order, since only its head is ever taken.
        List<StreamEvent> out = new ArrayList<>(Math.min(max, total));
        int[] next = new int[perPartition.size()];
        while (out.size() < max && out.size() < total) {
            int best = -1;
            for (int i = 0; i < perPartition.size(); i++) {
                List<StreamEvent> p = perPartition.get(i);
                if (next[i] < p.size()
                        && (best < 0
                                || ORDER.compare(
                                                p.get(next[i]),
                                                perPartition.get(best).get(next[best]))
                                        < 0)) {
                    best = i;
                }
            }
            out.add(perPartition.get(best).get(next[best]++));
        }
        return out;
    }
}
