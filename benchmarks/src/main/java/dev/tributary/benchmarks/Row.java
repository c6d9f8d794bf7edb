package dev.tributary.benchmarks;

/**
 * One line of the comparison: Tributary and one peer doing the same work on the same backend.
 *
 * @param id        the row's number in the doc, e.g. {@code "5"} or {@code "7b"}
 * @param backend   {@code redis} or {@code kafka}
 * @param operation {@code publish} or {@code consume}
 * @param title     what is compared, for the table
 * @param tributary the Tributary side
 * @param peer      the peer side
 */
record Row(String id, String backend, String operation, String title, Contender tributary, Contender peer) {

    /** Whether the sides consume a pre-filled stream (else they publish into an empty one). */
    boolean consumes() {
        return operation.equals("consume");
    }

    /**
     * A side as the table names it.
     *
     * @param label     short name, e.g. {@code "Spring RedisTemplate.executePipelined"}
     * @param method    exactly what it does
     * @param guarantee its delivery guarantee, stated in the table
     * @param factory   opens the side
     */
    record Contender(String label, String method, String guarantee, Side.Factory factory) {}
}
