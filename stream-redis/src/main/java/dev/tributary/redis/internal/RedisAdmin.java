package dev.tributary.redis.internal;

import static dev.tributary.redis.internal.CommandChannel.args;
import static dev.tributary.redis.internal.CommandChannel.b;

import dev.tributary.ErrorKind;
import dev.tributary.EventId;
import dev.tributary.GroupInfo;
import dev.tributary.GroupOptions;
import dev.tributary.Position;
import dev.tributary.StreamException;
import dev.tributary.StreamInfo;
import dev.tributary.StreamName;
import dev.tributary.Trim;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Streams, metadata, retention and groups on the shared {@link CommandChannel}: the calls that are
 * not appends or reads. Creating and deleting streams and groups run scripts that keep the side hash
 * of group ack timeouts and deletion markers ({@link RedisSettings#groupsKey}) consistent with the
 * stream. Arguments arrive checked by the client skeleton; what is checked here is Redis-specific
 * (ids of the {@code <ms>-<seq>} form). Thread-safe.
 */
final class RedisAdmin {
    private final RedisSettings settings;
    private final CommandChannel channel;

    RedisAdmin(RedisSettings settings, CommandChannel channel) {
        this.settings = settings;
        this.channel = channel;
    }

    /** The keys of a one-partition stream. */
    StreamKeys keys(StreamName stream) {
        return settings.keys(stream);
    }

    private static byte[] groupsKey(StreamKeys k) {
        return b(k.groupsKey());
    }

    /** INVALID_ARGUMENT unless {@code id} is a Redis id of a one-partition stream. */
    static EventId redisId(EventId id) {
        if (!id.isPair()) {
            throw StreamException.invalid("'" + id + "' is not a Redis id (<ms>-<seq>)");
        }
        if (id.isPartitioned()) {
            throw StreamException.invalid("'" + id + "' is an id of a partitioned stream (partition/id), but this "
                    + "stream has one partition; give the plain id");
        }
        return id;
    }

    void createStream(StreamKeys k) {
        String key = k.key();
        channel.syncEval(Script.CREATE_STREAM, List.of(b(key)), List.of(), "create stream " + key);
    }

    boolean deleteStream(StreamKeys k) {
        String key = k.key();
        Object r = channel.syncEval(
                Script.DELETE_STREAM, List.of(b(key), groupsKey(k)), List.of(), "delete stream " + key);
        return Resp.num(r, "delete stream") > 0;
    }

    /** XINFO STREAM, or empty for a missing key. */
    Optional<StreamMeta> meta(StreamKeys k) {
        String key = k.key();
        try {
            return Optional.of(StreamMeta.parse(
                    channel.sync(CommandType.XINFO, args().add("STREAM").addKey(b(key)), "XINFO STREAM " + key)));
        } catch (StreamException e) {
            if (noSuchKey(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    StreamInfo info(StreamKeys k) {
        Optional<StreamMeta> m = meta(k);
        if (m.isEmpty()) {
            return StreamInfo.missing(k.stream());
        }
        StreamMeta meta = m.get();
        if (meta.length() == 0 || meta.firstId() == null || meta.lastId() == null) {
            return StreamInfo.empty(k.stream());
        }
        return StreamInfo.of(
                k.stream(),
                meta.length(),
                meta.firstId(),
                Instant.ofEpochMilli(meta.firstId().major()),
                meta.lastId(),
                Instant.ofEpochMilli(meta.lastId().major()));
    }

    long trim(StreamKeys k, Trim trim) {
        String key = k.key();
        Object r;
        if (trim instanceof Trim.ToLength t) {
            r = channel.sync(
                    CommandType.XTRIM, args().addKey(b(key)).add("MAXLEN").add(t.maxLength()), "XTRIM MAXLEN " + key);
        } else if (trim instanceof Trim.Below t) {
            r = channel.sync(
                    CommandType.XTRIM,
                    args().addKey(b(key)).add("MINID").add(Ids.wire(redisId(t.id()))),
                    "XTRIM MINID " + key);
        } else {
            Trim.OlderThan t = (Trim.OlderThan) trim;
            r = channel.syncEval(
                    Script.TRIM_AGE,
                    List.of(b(key)),
                    List.of(b(Long.toString(t.age().toMillis()))),
                    "trim by age " + key);
        }
        return Resp.num(r, "XTRIM");
    }

    void createGroup(StreamKeys k, String group, GroupOptions options) {
        String start;
        Position from = PartitionedRange.onePartition(options.start(), k.stream());
        if (from instanceof Position.Earliest) {
            start = "0";
        } else if (from instanceof Position.Latest) {
            start = "$";
        } else {
            start = Ids.wire(RedisReader.cursorOf(from)); // after an id, or just before a time
        }
        String key = k.key();
        channel.syncEval(
                Script.CREATE_GROUP,
                List.of(b(key), groupsKey(k)),
                List.of(b(group), b(start), b(Long.toString(options.ackTimeout().toMillis()))),
                "XGROUP CREATE " + key + " " + group);
    }

    boolean deleteGroup(StreamKeys k, String group) {
        String key = k.key();
        Object r = channel.syncEval(
                Script.DELETE_GROUP,
                List.of(b(key), groupsKey(k)),
                List.of(b(group)),
                "XGROUP DESTROY " + key + " " + group);
        return Resp.num(r, "XGROUP DESTROY") > 0;
    }

    GroupInfo groupInfo(StreamKeys k, String group) {
        for (List<Object> g : groupEntries(k)) {
            if (group.equals(Resp.str(field(g, "name"), "group name"))) {
                return toGroupInfo(k, g);
            }
        }
        throw groupNotFound(k, group);
    }

    List<GroupInfo> groups(StreamKeys k) {
        List<GroupInfo> out = new ArrayList<>();
        for (List<Object> g : groupEntries(k)) {
            out.add(toGroupInfo(k, g));
        }
        return out;
    }

    StreamException groupNotFound(StreamKeys k, String group) {
        return new StreamException(
                ErrorKind.NOT_FOUND,
                "consumer group '" + group + "' of " + k.describe() + " does not exist; create it with createGroup");
    }

    boolean groupExists(StreamKeys k, String group) {
        for (List<Object> g : groupEntries(k)) {
            if (group.equals(Resp.str(field(g, "name"), "group name"))) {
                return true;
            }
        }
        return false;
    }

    /** The ack timeout recorded for a group, or the default. */
    Duration ackTimeout(StreamKeys k, String group) {
        Object r = channel.sync(CommandType.HGET, args().addKey(groupsKey(k)).add(b(group)), "HGET " + k.groupsKey());
        return r == null ? GroupOptions.DEFAULT_ACK_TIMEOUT : Duration.ofMillis(Resp.num(r, "ack timeout"));
    }

    /** Whether deleteGroup or deleteStream left a marker for the group. */
    boolean deletedMarker(StreamKeys k, String group) {
        Object r = channel.sync(
                CommandType.HEXISTS,
                args().addKey(groupsKey(k)).add(b("~deleted~" + group)),
                "HEXISTS " + k.groupsKey());
        return Resp.num(r, "HEXISTS") == 1;
    }

    /** The raw XINFO GROUPS entries of a stream; empty for a missing stream. */
    private List<List<Object>> groupEntries(StreamKeys k) {
        String key = k.key();
        Object r;
        try {
            r = channel.sync(CommandType.XINFO, args().add("GROUPS").addKey(b(key)), "XINFO GROUPS " + key);
        } catch (StreamException e) {
            if (noSuchKey(e)) {
                return List.of();
            }
            throw e;
        }
        List<List<Object>> out = new ArrayList<>();
        for (Object g : Resp.list(r, "XINFO GROUPS")) {
            out.add(Resp.list(g, "XINFO GROUPS entry"));
        }
        return out;
    }

    private GroupInfo toGroupInfo(StreamKeys k, List<Object> g) {
        String key = k.key();
        String name = Resp.str(field(g, "name"), "group name");
        long pending = Resp.num(field(g, "pending"), "pending");
        String lastDelivered = Resp.str(field(g, "last-delivered-id"), "last-delivered-id");
        Object lagRaw = field(g, "lag");
        long lag;
        if (lagRaw != null) {
            lag = Resp.num(lagRaw, "lag");
        } else { // the server cannot tell (XDEL inside the group's range): count, up to a cap
            long cap = 10_000;
            long n = Resp.num(
                    channel.syncEval(
                            Script.COUNT_AFTER,
                            List.of(b(key)),
                            List.of(b(lastDelivered == null ? "0-0" : lastDelivered), b(Long.toString(cap))),
                            "count lag " + key),
                    "lag");
            lag = n >= cap ? -1 : n;
        }
        List<String> members = new ArrayList<>();
        Object cr = channel.sync(
                CommandType.XINFO,
                args().add("CONSUMERS").addKey(b(key)).add(name),
                "XINFO CONSUMERS " + key + " " + name);
        for (Object c : Resp.list(cr, "XINFO CONSUMERS")) {
            members.add(Resp.str(field(Resp.list(c, "consumer"), "name"), "consumer name"));
        }
        Optional<EventId> last = lastDelivered == null || "0-0".equals(lastDelivered)
                ? Optional.empty()
                : Optional.of(Ids.fromServer(b(lastDelivered)));
        return new GroupInfo(name, pending, lag, members, last);
    }

    static Object field(List<Object> kv, String name) {
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            if (name.equals(Resp.str(kv.get(i), "field"))) {
                return kv.get(i + 1);
            }
        }
        return null;
    }

    private static boolean noSuchKey(StreamException e) {
        return e.getCause() instanceof RedisCommandExecutionException c
                && String.valueOf(c.getMessage()).startsWith("ERR no such key");
    }
}
