package dev.tributary.kafka.internal;

import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a group remembers per partition beyond its committed offset, stored in the commit's
 * metadata string ({@code OffsetAndMetadata.metadata()}, at most 4 KiB on a default broker) so that
 * it survives member restarts and moves with the partition to another member:
 *
 * <pre>trib1;a=ackTimeoutMs;h=deliveredUpTo;t=lastDeliveryEpochMs;c=offset:count,...;k=offset,...</pre>
 *
 * <ul>
 *   <li>{@code a} — the group's ack timeout (its only option; kept from creation);</li>
 *   <li>{@code h} — offsets from the committed offset up to {@code h} (exclusive) were delivered at
 *       least once; absent (-1) when nothing was delivered yet;</li>
 *   <li>{@code t} — when the newest delivery happened; a new owner holds those offsets until
 *       {@code t + ackTimeout} before redelivering them;</li>
 *   <li>{@code c} — delivery counts of 2 or more, for offsets in {@code [committed, h)};</li>
 *   <li>{@code k} — offsets above the committed one that are already acked (an ack out of order).</li>
 * </ul>
 * Lists that would not fit are cut (newest offsets first dropped): a lost count reads as 1 and a lost
 * ack means one more redelivery — never a lost event.
 */
final class GroupMeta {
    static final String PREFIX = "trib1";
    static final int MAX_CHARS = 3_900;

    long ackTimeoutMs;
    long deliveredUpTo = -1;
    long lastDeliveryMs;
    final NavigableMap<Long, Integer> counts = new TreeMap<>();
    final NavigableSet<Long> acked = new TreeSet<>();

    GroupMeta(long ackTimeoutMs) {
        this.ackTimeoutMs = ackTimeoutMs;
    }

    /** Parses a metadata string; null when it is not ours (e.g. written by another Kafka client). */
    static GroupMeta parse(String s) {
        if (s == null || !s.startsWith(PREFIX + ";")) {
            return null;
        }
        GroupMeta m = new GroupMeta(-1);
        try {
            for (String part : s.substring(PREFIX.length() + 1).split(";")) {
                if (part.length() < 2 || part.charAt(1) != '=') {
                    continue;
                }
                String v = part.substring(2);
                switch (part.charAt(0)) {
                    case 'a' -> m.ackTimeoutMs = Long.parseLong(v);
                    case 'h' -> m.deliveredUpTo = Long.parseLong(v);
                    case 't' -> m.lastDeliveryMs = Long.parseLong(v);
                    case 'c' -> {
                        for (String e : v.split(",")) {
                            int colon = e.indexOf(':');
                            if (colon > 0) {
                                m.counts.put(
                                        Long.parseLong(e.substring(0, colon)),
                                        Integer.parseInt(e.substring(colon + 1)));
                            }
                        }
                    }
                    case 'k' -> {
                        for (String e : v.split(",")) {
                            if (!e.isEmpty()) {
                                m.acked.add(Long.parseLong(e));
                            }
                        }
                    }
                    default -> {
                        // a newer field: ignore
                    }
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return m.ackTimeoutMs > 0 ? m : null;
    }

    /** The metadata string, cut to {@link #MAX_CHARS}. */
    String encode() {
        StringBuilder b = new StringBuilder(PREFIX).append(";a=").append(ackTimeoutMs);
        if (deliveredUpTo >= 0) {
            b.append(";h=").append(deliveredUpTo).append(";t=").append(lastDeliveryMs);
        }
        int budget = MAX_CHARS / 2;
        if (!counts.isEmpty()) {
            b.append(";c=");
            int start = b.length();
            boolean first = true;
            for (Map.Entry<Long, Integer> e : counts.entrySet()) {
                String item = e.getKey() + ":" + e.getValue();
                if (b.length() - start + item.length() + 1 > budget) {
                    break;
                }
                if (!first) {
                    b.append(',');
                }
                b.append(item);
                first = false;
            }
        }
        if (!acked.isEmpty()) {
            b.append(";k=");
            boolean first = true;
            for (Long o : acked) {
                String item = Long.toString(o);
                if (b.length() + item.length() + 1 > MAX_CHARS) {
                    break;
                }
                if (!first) {
                    b.append(',');
                }
                b.append(item);
                first = false;
            }
        }
        return b.toString();
    }
}
