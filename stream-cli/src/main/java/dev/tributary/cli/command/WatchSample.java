package dev.tributary.cli.command;

import dev.tributary.GroupInfo;
import dev.tributary.StreamClient;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One look at a stream and its consumer groups, as {@code groups --watch} takes it every interval.
 *
 * @param nanos  when it was taken, from {@link System#nanoTime()} (rates divide by differences of it)
 * @param at     when it was taken, for the reader
 * @param stream the stream's length and first id
 * @param groups the groups shown, as the backend's {@code groupInfo} reports them
 */
record WatchSample(long nanos, Instant at, StreamInfo stream, List<GroupInfo> groups) {
    WatchSample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(stream, "stream");
        groups = List.copyOf(groups);
    }

    /** Takes a sample: {@code info} first, then the groups (all of them, or only {@code only}). */
    static WatchSample take(StreamClient client, StreamName stream, String only) {
        long nanos = System.nanoTime();
        Instant at = Instant.now();
        StreamInfo info = client.info(stream);
        List<GroupInfo> groups = only != null ? List.of(client.groupInfo(stream, only)) : client.groups(stream);
        return new WatchSample(nanos, at, info, groups);
    }

    /** The group named {@code name} in this sample, or null. */
    GroupInfo group(String name) {
        for (GroupInfo g : groups) {
            if (g.group().equals(name)) {
                return g;
            }
        }
        return null;
    }
}
