package dev.tributary.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A server-side Lua script, called by SHA1 ({@code EVALSHA}) with a fallback to {@code EVAL} when the
 * server answers NOSCRIPT (after a restart or SCRIPT FLUSH). The scripts are listed here so a
 * reviewer reads all server-side logic in one place.
 */
final class Script {
    final String name;
    final String body;
    final String sha;

    private Script(String name, String text) {
        this.name = name;
        // without leading indentation: an EVAL sends the body with every call
        this.body = text.lines().map(String::strip).collect(java.util.stream.Collectors.joining("\n"));
        try {
            this.sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(this.body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** KEYS[1] stream. Creates an empty stream (without using up an entry id); 1 if created. */
    static final Script CREATE_STREAM = new Script("create-stream", """
            local t = redis.call('TYPE', KEYS[1])['ok']
            if t == 'stream' then return 0 end
            if t ~= 'none' then return redis.error_reply('WRONGTYPE key holds a ' .. t .. ', not a stream') end
            redis.call('XGROUP', 'CREATE', KEYS[1], 'tributary-create', '$', 'MKSTREAM')
            redis.call('XGROUP', 'DESTROY', KEYS[1], 'tributary-create')
            return 1
            """);

    /**
     * KEYS[1] the one-partition stream key, KEYS[2] the partition count key; ARGV[1] the count asked
     * for. Records the count unless the stream exists already (a one-partition stream keeps its one
     * partition, a partitioned one its count); returns the count the stream has.
     */
    static final Script CREATE_PARTITIONED = new Script("create-partitioned", """
            local n = redis.call('GET', KEYS[2])
            if n then return tonumber(n) end
            if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
            redis.call('SET', KEYS[2], ARGV[1])
            return tonumber(ARGV[1])
            """);

    /**
     * Idempotent appends of one or more records to one stream, deduplicated in a bounded window per
     * stream. KEYS[1] stream, KEYS[2] hash idempotency id → entry id, KEYS[3] sorted set idempotency
     * id → server time (ms). ARGV[1] window ms, ARGV[2] most ids kept, ARGV[3] MAXLEN cap or '',
     * ARGV[4] record count n, then per record: idempotency id, field count f, f field arguments.
     * Returns {flag1, id1, flag2, id2, …}: flag 1 when stored, 0 for a duplicate inside the window.
     *
     * <p>The lookups of the call's ids are one {@code HMGET}, what it stored is remembered with one
     * {@code HSET} and one {@code ZADD}: per record only its {@code XADD} is a call of its own. A
     * record repeating an id earlier in the same call is a duplicate of that one. When an
     * {@code XADD} fails, the records stored before it are remembered, then the call fails with that
     * error (so a retry of those is still answered as a duplicate).
     *
     * <p>The window is trimmed in the same call, with bounded work: ids older than the window (at
     * most 256 + 2n per call, so trimming outpaces storing); and once the ids exceed the count bound,
     * the oldest down to about 1/64 of the bound below it (at most 4 000 per call), so that the
     * count trim runs about once per bound/64 appends, not on every one. Both keys expire after the
     * window once the stream stops being appended to idempotently. Memory per stream is therefore
     * bounded by {@code dedupMaxIds} ids whatever the publish rate: two keys per stream, not one per
     * event.
     */
    static final Script IDEMPOTENT_APPEND = new Script("idempotent-append", """
            local w = tonumber(ARGV[1])
            local cap = tonumber(ARGV[2])
            local n = tonumber(ARGV[4])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local iids, first, last = {}, {}, {}
            local i = 5
            for r = 1, n do
              iids[r] = ARGV[i]
              first[r] = i + 2
              last[r] = i + 1 + tonumber(ARGV[i + 1])
              i = last[r] + 1
            end
            local prev = redis.call('HMGET', KEYS[2], unpack(iids))
            local out, seen, hset, zadd = {}, {}, {}, {}
            local function remember()
              if #hset > 0 then
                redis.call('HSET', KEYS[2], unpack(hset))
                redis.call('ZADD', KEYS[3], unpack(zadd))
              end
            end
            for r = 1, n do
              local iid = iids[r]
              local id = seen[iid] or prev[r]
              if id then
                out[#out + 1] = 0
                out[#out + 1] = id
              else
                if ARGV[3] ~= '' then
                  id = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, first[r], last[r]))
                else
                  id = redis.pcall('XADD', KEYS[1], '*', unpack(ARGV, first[r], last[r]))
                end
                if type(id) == 'table' and id.err then
                  remember()
                  return id
                end
                seen[iid] = id
                hset[#hset + 1] = iid
                hset[#hset + 1] = id
                zadd[#zadd + 1] = now
                zadd[#zadd + 1] = iid
                out[#out + 1] = 1
                out[#out + 1] = id
              end
            end
            remember()
            local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', string.format('(%d', now - w), 'LIMIT', 0, 256 + 2 * n)
            if #old > 0 then
              redis.call('HDEL', KEYS[2], unpack(old))
              redis.call('ZREM', KEYS[3], unpack(old))
            end
            local over = redis.call('ZCARD', KEYS[3]) - cap
            if over > 0 then
              over = math.min(over + math.floor(cap / 64), 4000)
              local oldest = redis.call('ZRANGE', KEYS[3], 0, over - 1)
              redis.call('HDEL', KEYS[2], unpack(oldest))
              redis.call('ZREMRANGEBYRANK', KEYS[3], 0, over - 1)
            end
            redis.call('PEXPIRE', KEYS[2], w)
            redis.call('PEXPIRE', KEYS[3], w)
            return out
            """);

    /** KEYS[1] stream; ARGV[1] age ms. Trims below the server's now - age; returns the count removed. */
    static final Script TRIM_AGE = new Script("trim-age", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local min = now - tonumber(ARGV[1])
            if min <= 0 then return 0 end
            return redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d-0', min))
            """);

    /**
     * KEYS[1] stream, KEYS[2] groups hash; ARGV[1] group, ARGV[2] start id, ARGV[3] ack timeout ms.
     * 1 if created, 0 if it existed (its ack timeout is kept).
     */
    static final Script CREATE_GROUP = new Script("create-group", """
            local r = redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], ARGV[2], 'MKSTREAM')
            if type(r) == 'table' and r.err then
              if string.sub(r.err, 1, 9) == 'BUSYGROUP' then
                redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3])
                redis.call('HDEL', KEYS[2], '~deleted~' .. ARGV[1])
                return 0
              end
              return r
            end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('HDEL', KEYS[2], '~deleted~' .. ARGV[1])
            return 1
            """);

    /** KEYS[1] stream, KEYS[2] groups hash; ARGV[1] group. Leaves a deletion marker; 1 if it existed. */
    static final Script DELETE_GROUP = new Script("delete-group", """
            local r = 0
            if redis.call('TYPE', KEYS[1])['ok'] == 'stream' then
              r = redis.call('XGROUP', 'DESTROY', KEYS[1], ARGV[1])
            end
            redis.call('HDEL', KEYS[2], ARGV[1])
            if r == 1 then redis.call('HSET', KEYS[2], '~deleted~' .. ARGV[1], '1') end
            return r
            """);

    /** KEYS[1] stream, KEYS[2] groups hash. Deletes the stream, marking its groups deleted; 1 if it existed. */
    static final Script DELETE_STREAM = new Script("delete-stream", """
            local t = redis.call('TYPE', KEYS[1])['ok']
            if t == 'none' then return 0 end
            if t ~= 'stream' then return redis.error_reply('WRONGTYPE key holds a ' .. t .. ', not a stream') end
            local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
            for _, g in ipairs(groups) do
              local name = g[2]
              redis.call('HDEL', KEYS[2], name)
              redis.call('HSET', KEYS[2], '~deleted~' .. name, '1')
            end
            if #groups > 0 then redis.call('EXPIRE', KEYS[2], 86400) end
            return redis.call('DEL', KEYS[1])
            """);

    /**
     * KEYS[1] stream; ARGV[1] group, ARGV[2] member, ARGV[3] min idle ms, ARGV[4] start, ARGV[5] count.
     * XAUTOCLAIM plus the delivery count of each claimed entry: {next, entries, counts, deletedIds}.
     */
    static final Script AUTOCLAIM = new Script("autoclaim", """
            local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
            local counts = {}
            for i, e in ipairs(r[2]) do
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
              if p[1] then counts[i] = p[1][4] else counts[i] = 1 end
            end
            return {r[1], r[2], counts, r[3] or {}}
            """);

    /**
     * KEYS[1] stream; ARGV[1] group, ARGV[2] member, ARGV[3] start ('-' or '(id'), ARGV[4] count.
     * Re-delivers the member's own pending entries in id order (XCLAIM to itself, which raises their
     * delivery count): {entries, counts}.
     */
    static final Script OWN_PENDING = new Script("own-pending", """
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], '+', ARGV[4], ARGV[2])
            if #p == 0 then return {{}, {}, 0} end
            local ids = {}
            local counts = {}
            for i, e in ipairs(p) do
              ids[i] = e[1]
              counts[e[1]] = e[4]
            end
            local entries = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(ids))
            local out = {}
            for i, e in ipairs(entries) do out[i] = counts[e[1]] + 1 end
            return {entries, out, #p}
            """);

    /**
     * KEYS[1] stream; ARGV[1] exclusive start id, ARGV[2] cap. Counts entries after an id, up to the
     * cap, in pages of 16 so that the script never holds more than 16 entries (payloads) at once.
     */
    static final Script COUNT_AFTER = new Script("count-after", """
            local n = 0
            local from = ARGV[1]
            local cap = tonumber(ARGV[2])
            while n < cap do
              local page = redis.call('XRANGE', KEYS[1], '(' .. from, '+', 'COUNT', 16)
              if #page == 0 then break end
              n = n + #page
              from = page[#page][1]
            end
            return n
            """);
}
