package dev.tributary.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.context.Lifecycle;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StreamOperations;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.stream.StreamListener;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;

/**
 * Spring Data Redis' {@link StreamMessageListenerContainer} ({@code batchSize 1000}, {@code pollTimeout
 * 500 ms}, pooled Lettuce connection factory), one consumer in a group created at {@code 0-0} before the
 * timed part. Two ways, with different guarantees:
 * <ul>
 *   <li>{@code receive} and an explicit {@code opsForStream().acknowledge} (one {@code XACK}) per message
 *       after the listener counted it: at least once;</li>
 *   <li>{@code receiveAutoAck}: {@code XREADGROUP … NOACK}, a message counts as acknowledged when read,
 *       before the listener ran: at most once.</li>
 * </ul>
 */
final class SpringContainerSide extends ListenerContainerSide {
    private final SpringRedis spring;
    private final boolean autoAck;

    SpringContainerSide(RedisBackend redis, boolean autoAck) {
        this.spring = new SpringRedis(redis);
        this.autoAck = autoAck;
    }

    @Override
    Lifecycle container(String stream, Progress p) {
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        String group = nextGroup();
        StreamOperations<byte[], byte[], byte[]> ops = spring.template().opsForStream();
        ops.createGroup(key, ReadOffset.from("0-0"), group);
        StreamMessageListenerContainerOptions<byte[], MapRecord<byte[], byte[], byte[]>> options =
                StreamMessageListenerContainerOptions.builder()
                        .batchSize(1000)
                        .pollTimeout(Duration.ofMillis(500))
                        .serializer(RedisSerializer.byteArray())
                        .errorHandler(p::fail)
                        .build();
        StreamMessageListenerContainer<byte[], MapRecord<byte[], byte[], byte[]>> container =
                StreamMessageListenerContainer.create(spring.factory(), options);
        Consumer me = Consumer.from(group, "m0");
        StreamOffset<byte[]> offset = StreamOffset.create(key, ReadOffset.lastConsumed());
        if (autoAck) {
            StreamListener<byte[], MapRecord<byte[], byte[], byte[]>> count = message -> p.add(1);
            var unused = container.receiveAutoAck(me, offset, count);
        } else {
            StreamListener<byte[], MapRecord<byte[], byte[], byte[]>> countThenAck = message -> {
                p.add(1);
                ops.acknowledge(key, group, message.getId());
            };
            var unused = container.receive(me, offset, countThenAck);
        }
        return container;
    }

    @Override
    public void close() {
        super.close();
        spring.close();
    }
}
