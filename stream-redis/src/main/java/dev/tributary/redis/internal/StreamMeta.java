package dev.tributary.redis.internal;

import dev.tributary.EventId;
import java.util.List;

/**
 * What {@code XINFO STREAM} says about a stream (Redis 7): length, last generated id, the largest id
 * removed by XDEL, entries ever added, and the first and last entry ids.
 */
record StreamMeta(
        long length, EventId lastGenerated, EventId maxDeleted, long entriesAdded, EventId firstId, EventId lastId) {

    static StreamMeta parse(Object reply) {
        List<Object> kv = Resp.list(reply, "XINFO STREAM");
        long length = 0;
        EventId lastGenerated = Ids.ZERO;
        EventId maxDeleted = Ids.ZERO;
        long entriesAdded = -1;
        EventId first = null;
        EventId last = null;
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            String name = Resp.str(kv.get(i), "XINFO field");
            Object v = kv.get(i + 1);
            switch (name) {
                case "length" -> length = Resp.num(v, "XINFO length");
                case "last-generated-id" -> lastGenerated = Ids.fromServer(Resp.bytes(v, "last-generated-id"));
                case "max-deleted-entry-id" -> maxDeleted = Ids.fromServer(Resp.bytes(v, "max-deleted-entry-id"));
                case "entries-added" -> entriesAdded = Resp.num(v, "entries-added");
                case "first-entry" -> first = entryId(v);
                case "last-entry" -> last = entryId(v);
                default -> {
                    // other fields are not needed
                }
            }
        }
        if (entriesAdded < 0) {
            entriesAdded = length; // before Redis 7: no trim accounting
        }
        return new StreamMeta(length, lastGenerated, maxDeleted, entriesAdded, first, last);
    }

    private static EventId entryId(Object v) {
        if (v == null) {
            return null;
        }
        List<Object> e = Resp.list(v, "XINFO entry");
        return e.isEmpty() ? null : Ids.fromServer(Resp.bytes(e.get(0), "XINFO entry id"));
    }

    /** Entries removed so far (by trimming or XDEL). */
    long removed() {
        return Math.max(0, entriesAdded - length);
    }

    /**
     * Whether the stream is not the one a reader read {@code anchor} entries of, up to {@code cursor}
     * (whose entry is not retained): within one stream a read entry goes only by XDEL (which raises
     * {@code max-deleted-entry-id} to it at least) or by trimming from the head (which removes every
     * entry up to it, so at least {@code anchor} are removed). Neither holding means the stream was
     * deleted and created again, or the server lost its data.
     */
    boolean recreatedSince(EventId cursor, Long anchor) {
        return anchor != null && anchor > 0 && maxDeleted.compareTo(cursor) < 0 && removed() < anchor;
    }

    /**
     * Whether {@code id} — an id read from this key, or given as the position after one — cannot be of
     * the stream the key holds now: the caller found it not retained, yet this stream never lost an
     * entry (nothing trimmed or deleted). It is an id of an earlier stream under the key (deleted and
     * created again, or the server lost its data). {@code 0-0} is no entry's id and never matches.
     */
    boolean neverHeld(EventId id) {
        return !id.equals(Ids.ZERO) && removed() == 0 && maxDeleted.equals(Ids.ZERO);
    }

    /**
     * Whether reading strictly after {@code cursor} (an id that is not retained) would skip removed
     * entries. With {@code anchor} (the number of entries ever added up to the cursor, when the reader
     * knows it) the answer is exact; without it the rule is "the cursor is older than the retained head
     * and something was removed".
     */
    boolean gapAfter(EventId cursor, Long anchor) {
        if (maxDeleted.compareTo(cursor) > 0) {
            return true;
        }
        if (removed() == 0) {
            return false;
        }
        boolean noMiddleDeletes = firstId == null || maxDeleted.compareTo(firstId) < 0;
        if (anchor != null && noMiddleDeletes) {
            long firstLogical = entriesAdded - length + 1;
            return firstLogical > anchor + 1;
        }
        return cursor.compareTo(firstId != null ? firstId : lastGenerated) < 0;
    }
}
