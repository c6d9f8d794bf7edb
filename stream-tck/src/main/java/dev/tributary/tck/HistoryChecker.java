package dev.tributary.tck;

import dev.tributary.EventId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Records the history of a test run — every append attempt with its outcome and every delivery —
 * and reports what went wrong: events lost, delivered more than once, delivered without having been
 * appended, or delivered out of their producer's order.
 *
 * <h2>Keys and producers</h2>
 * Every record carries an identity, its <em>key</em>, chosen by the test (usually in a header).
 * The producer of a key is the part before its first {@code '/'} ({@code "p3/42"}: producer
 * {@code p3}); a key without {@code '/'} is its own producer. The append order of a producer is the
 * order in which its keys were first {@linkplain #invoked(String) invoked}; a retry of a key keeps
 * the key's place.
 *
 * <h2>Outcomes</h2>
 * A key may be attempted several times (retries). Its outcome is {@code ok} if any attempt was
 * acknowledged, else {@code indeterminate} if any attempt's outcome is unknown, else
 * {@code failed} if every finished attempt definitely failed.
 *
 * <h2>The report</h2>
 * <ul>
 *   <li><b>lost</b>: keys acknowledged ({@link #ok}) and never delivered to any consumer;</li>
 *   <li><b>duplicates</b>: key → number of deliveries beyond the first (counted over all consumers;
 *       expected after redelivery, so they are counted and reported, never hidden);</li>
 *   <li><b>unexpected</b>: keys delivered but never invoked, or whose outcome is {@code failed};</li>
 *   <li><b>reordered</b>: a key delivered for the first time (to anyone) to a consumer that had
 *       already received a later key of the same producer. A delivery the broker marks as a
 *       redelivery ({@link #delivered(String, String, EventId, int)} with a count above 1) is not
 *       judged: a group redelivers an event whose first delivery was never acknowledged (say, lost
 *       with a reset connection) after its ack timeout, behind later events, as the contract says.
 *       Nor is a key one of whose attempts was indeterminate: a batch whose outcome was unknown may
 *       have stored keys 0–2 of its records, its first delivery of key 1 lost with a reset
 *       connection (redelivered later), and the producer's retry stored 0–2 again after them — so
 *       the first delivery of key 1 is the retry's copy, behind the first attempt's key 2, in the
 *       stream's order (kit rule F8 on NATS);</li>
 *   <li><b>mismatched</b>: a key delivered only under ids that no acknowledged append of it returned
 *       (the append's future was completed with another event's id, or the copy it named is gone).
 *       Judged only for keys none of whose attempts was indeterminate: an attempt whose outcome is
 *       unknown may have been stored under an id nobody was told.</li>
 *   <li><b>copies</b>: a key delivered under an id its acknowledged append returned <em>and</em> under
 *       another one: it was stored twice, and the append was told the id of one copy. A duplicate, so
 *       allowed and reported like duplicates: a client's own retry of a request that reached the broker
 *       can store it again (Kafka's idempotent producer after it starts a new epoch, when a paused
 *       broker wrote a request the producer had given up on).</li>
 * </ul>
 * A key that is indeterminate and never delivered is neither lost nor unexpected.
 *
 * <p>All methods are thread-safe; producers and consumers may record from any thread.
 */
public final class HistoryChecker {
    private static final int EXAMPLES = 10;

    private final String name;
    private final Map<String, KeyState> keys = new HashMap<>();
    private final Map<String, Integer> nextIndex = new HashMap<>();
    /** consumer -> producer -> highest order index first-delivered to that consumer (and its key). */
    private final Map<String, Map<String, KeyState>> highest = new HashMap<>();

    private final Map<String, Integer> deliveredUnknown = new LinkedHashMap<>();
    private final List<String> reordered = new ArrayList<>();
    private long deliveries;

    /** A checker whose report carries this name (the rule or scenario). */
    public HistoryChecker(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** An append of the record whose identity is {@code key} was attempted (call before each attempt). */
    public synchronized void invoked(String key) {
        state(key).attempts++;
    }

    /** ...and the broker acknowledged it with this id. */
    public synchronized void ok(String key, EventId id) {
        KeyState s = state(key);
        s.ok++;
        if (id != null && !s.ids.contains(id)) {
            s.ids.add(id);
        }
    }

    /** ...and it definitely was not stored. */
    public synchronized void failed(String key, Throwable error) {
        state(key).failed++;
    }

    /** ...and its outcome is unknown: it may or may not have been stored. */
    public synchronized void indeterminate(String key, Throwable error) {
        state(key).indeterminate++;
    }

    /** A consumer received the record whose identity is {@code key}, under this id. */
    public void delivered(String consumer, String key, EventId id) {
        delivered(consumer, key, id, 1);
    }

    /**
     * A consumer received the record whose identity is {@code key}, under this id, for the
     * {@code deliveryCount}-th time as the broker counts it ({@link dev.tributary.StreamEvent#deliveryCount()}).
     * A redelivery (count above 1) is counted like any delivery but not judged for order.
     */
    public synchronized void delivered(String consumer, String key, EventId id, int deliveryCount) {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(key, "key");
        deliveries++;
        KeyState s = keys.get(key);
        if (s == null) {
            deliveredUnknown.merge(key, 1, Integer::sum);
            return;
        }
        s.deliveries++;
        if (id != null && !s.deliveredIds.contains(id)) {
            s.deliveredIds.add(id);
        }
        if (s.deliveries > 1 || deliveryCount > 1) {
            return; // a redelivery or duplicate: order is only judged on first deliveries
        }
        Map<String, KeyState> byProducer = highest.computeIfAbsent(consumer, c -> new HashMap<>());
        KeyState top = byProducer.get(s.producer);
        if (top == null || top.index < s.index) {
            byProducer.put(s.producer, s);
        } else if (s.indeterminate == 0) {
            reordered.add("consumer " + consumer + ": " + key + " delivered after " + top.key);
        }
        // else: an attempt of this key had an unknown outcome and the producer appended it again, after
        // later keys of that attempt may have been stored: its copy from the retry comes after them
    }

    /** The report of everything recorded so far. */
    public synchronized Report report() {
        int invoked = 0;
        int ok = 0;
        int failed = 0;
        int indeterminate = 0;
        List<KeyState> ordered = new ArrayList<>(keys.values());
        ordered.sort((a, b) -> {
            int c = a.producer.compareTo(b.producer);
            return c != 0 ? c : Integer.compare(a.index, b.index);
        });
        List<String> lost = new ArrayList<>();
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> copies = new ArrayList<>();
        for (KeyState s : ordered) {
            if (s.indeterminate == 0 && !s.ids.isEmpty()) {
                boolean underItsId = s.deliveredIds.stream().anyMatch(s.ids::contains);
                for (EventId d : s.deliveredIds) {
                    if (!s.ids.contains(d)) {
                        (underItsId ? copies : mismatched)
                                .add(s.key + " appended as " + s.ids + " but " + (underItsId ? "also " : "")
                                        + "delivered as " + d);
                    }
                }
            }
            if (s.attempts > 0) {
                invoked++;
            }
            if (s.ok > 0) {
                ok++;
                if (s.deliveries == 0) {
                    lost.add(s.key);
                }
            } else if (s.indeterminate > 0) {
                indeterminate++;
            } else if (s.failed > 0) {
                failed++;
                if (s.deliveries > 0) {
                    unexpected.add(s.key);
                }
            }
            if (s.deliveries > 1) {
                duplicates.put(s.key, s.deliveries - 1);
            }
        }
        for (Map.Entry<String, Integer> e : new TreeMap<>(deliveredUnknown).entrySet()) {
            unexpected.add(e.getKey());
            if (e.getValue() > 1) {
                duplicates.put(e.getKey(), e.getValue() - 1);
            }
        }
        return new Report(
                name,
                invoked,
                ok,
                failed,
                indeterminate,
                deliveries,
                lost,
                duplicates,
                unexpected,
                new ArrayList<>(reordered),
                mismatched,
                copies);
    }

    private KeyState state(String key) {
        Objects.requireNonNull(key, "key");
        KeyState s = keys.get(key);
        if (s == null) {
            int slash = key.indexOf('/');
            String producer = slash < 0 ? key : key.substring(0, slash);
            int index = nextIndex.merge(producer, 1, Integer::sum) - 1;
            s = new KeyState(key, producer, index);
            keys.put(key, s);
        }
        return s;
    }

    private static final class KeyState {
        final String key;
        final String producer;
        final int index;
        final List<EventId> ids = new ArrayList<>(1);
        final List<EventId> deliveredIds = new ArrayList<>(1);
        int attempts;
        int ok;
        int failed;
        int indeterminate;
        int deliveries;

        KeyState(String key, String producer, int index) {
            this.key = key;
            this.producer = producer;
            this.index = index;
        }
    }

    /**
     * What a history shows.
     *
     * @param name          the checker's name
     * @param invoked       distinct keys attempted at least once
     * @param ok            keys acknowledged by the broker (at least one attempt)
     * @param failed        keys whose every finished attempt definitely failed
     * @param indeterminate keys with an unknown outcome and no acknowledged attempt
     * @param deliveries    deliveries recorded, over all consumers, duplicates included
     * @param lost          acknowledged keys never delivered, in producer order
     * @param duplicates    key → deliveries beyond the first
     * @param unexpected    keys delivered but never invoked, or whose outcome is failed
     * @param reordered     one line per first delivery that came after a later key of its producer
     * @param mismatched    one line per delivery under an id its key's acknowledged appends did not return,
     *                      of a key never delivered under one they returned
     * @param copies        one line per delivery under an id its key's acknowledged appends did not return,
     *                      of a key also delivered under one they returned (stored twice: allowed)
     */
    public record Report(
            String name,
            int invoked,
            int ok,
            int failed,
            int indeterminate,
            long deliveries,
            List<String> lost,
            Map<String, Integer> duplicates,
            List<String> unexpected,
            List<String> reordered,
            List<String> mismatched,
            List<String> copies) {

        public Report {
            lost = List.copyOf(lost);
            duplicates = Collections.unmodifiableMap(new LinkedHashMap<>(duplicates));
            unexpected = List.copyOf(unexpected);
            reordered = List.copyOf(reordered);
            mismatched = List.copyOf(mismatched);
            copies = List.copyOf(copies);
        }

        /**
         * True when nothing was lost, unexpected, reordered or mismatched (duplicates and copies are allowed,
         * and counted).
         */
        public boolean clean() {
            return lost.isEmpty() && unexpected.isEmpty() && reordered.isEmpty() && mismatched.isEmpty();
        }

        /** Deliveries beyond the first, summed over every key. */
        public long duplicateDeliveries() {
            long n = 0;
            for (int v : duplicates.values()) {
                n += v;
            }
            return n;
        }

        /** One printable paragraph: the counts, and up to ten examples of each problem. */
        public String summary() {
            StringBuilder b = new StringBuilder();
            b.append("history '")
                    .append(name)
                    .append("': ")
                    .append(clean() ? "CLEAN" : "NOT CLEAN")
                    .append(" — ")
                    .append(invoked)
                    .append(" keys appended (")
                    .append(ok)
                    .append(" ok, ")
                    .append(failed)
                    .append(" failed, ")
                    .append(indeterminate)
                    .append(" indeterminate), ")
                    .append(deliveries)
                    .append(" deliveries; lost ")
                    .append(lost.size())
                    .append(examples(lost))
                    .append("; duplicated ")
                    .append(duplicates.size())
                    .append(" keys (")
                    .append(duplicateDeliveries())
                    .append(" extra deliveries)")
                    .append(examples(duplicates.entrySet().stream()
                            .map(e -> e.getKey() + "×" + e.getValue())
                            .toList()))
                    .append("; unexpected ")
                    .append(unexpected.size())
                    .append(examples(unexpected))
                    .append("; reordered ")
                    .append(reordered.size())
                    .append(examples(reordered))
                    .append("; mismatched ids ")
                    .append(mismatched.size())
                    .append(examples(mismatched))
                    .append(copies.isEmpty() ? "" : "; stored again under other ids " + copies.size())
                    .append(examples(copies))
                    .append('.');
            return b.toString();
        }

        private static String examples(List<String> items) {
            if (items.isEmpty()) {
                return "";
            }
            List<String> shown = items.subList(0, Math.min(EXAMPLES, items.size()));
            return " " + shown + (items.size() > EXAMPLES ? " and " + (items.size() - EXAMPLES) + " more" : "");
        }

        @Override
        public String toString() {
            return summary();
        }
    }
}
