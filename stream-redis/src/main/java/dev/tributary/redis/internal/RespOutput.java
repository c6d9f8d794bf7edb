package dev.tributary.redis.internal;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A raw reply: bulk and simple strings become {@code byte[]}, integers {@code Long}, nil {@code null},
 * arrays (also RESP3 maps and sets, flattened) {@code List<Object>}, nested as the server sent them.
 * An error reply completes the command exceptionally (Lettuce's default). One instance per command.
 */
final class RespOutput extends CommandOutput<byte[], byte[], Object> {
    /** The enclosing arrays of {@link #current}; created for nested replies only. */
    private Deque<List<Object>> stack;

    private List<Object> current;
    private boolean topSet;

    RespOutput() {
        super(ByteArrayCodec.INSTANCE, null);
    }

    private void add(Object v) {
        if (current == null) {
            if (!topSet) {
                output = v;
                topSet = true;
            }
            return;
        }
        current.add(v);
    }

    /** Bulk strings; also simple strings and big numbers, which CommandOutput's setSingle and setBigNumber pass here. */
    @Override
    public void set(ByteBuffer bytes) {
        if (bytes == null) {
            add(null);
            return;
        }
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        add(b);
    }

    @Override
    public void set(long integer) {
        add(integer);
    }

    @Override
    public void set(double number) {
        add(number);
    }

    @Override
    public void set(boolean value) {
        add(value ? 1L : 0L);
    }

    @Override
    public void multi(int count) {
        List<Object> list = new ArrayList<>(Math.max(0, count));
        if (current == null) {
            if (topSet) {
                return;
            }
            output = list;
            topSet = true;
        } else {
            current.add(list);
            if (stack == null) {
                stack = new ArrayDeque<>();
            }
            stack.push(current);
        }
        current = list;
    }

    @Override
    public void complete(int depth) {
        // depth = arrays still open in the decoder; close ours down to it (the top one stays the result)
        while (depth > 0 && stack != null && stack.size() >= depth) {
            current = stack.pop();
        }
    }
}
