package dev.tributary.benchmarks;

import java.util.Map;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;

/**
 * Spring Data Redis: {@code RedisTemplate.executePipelined} with a {@code RedisCallback} that issues
 * {@value #PER_CALL} {@code XADD}s ({@code connection.streamCommands().xAdd}); the call returns once all
 * of them are answered, so at most {@value #PER_CALL} are in flight. Pooled Lettuce connection factory.
 */
final class SpringPipelinedSide extends SpringAppendSide {
    static final int PER_CALL = 1000;

    private final byte[] payload = Window.payload();

    SpringPipelinedSide(RedisBackend redis) {
        super(redis);
    }

    @Override
    public void run(int records) {
        ByteRecord record =
                StreamRecords.rawBytes(Map.of(RedisBackend.FIELD, payload)).withStreamKey(key);
        for (int done = 0; done < records; done += PER_CALL) {
            int n = Math.min(PER_CALL, records - done);
            var ids = spring.template().executePipelined((RedisCallback<Object>) connection -> {
                for (int i = 0; i < n; i++) {
                    connection.streamCommands().xAdd(record);
                }
                return null;
            });
            if (ids.size() != n) {
                throw new IllegalStateException("a pipeline of " + n + " XADDs returned " + ids.size() + " replies");
            }
        }
    }
}
